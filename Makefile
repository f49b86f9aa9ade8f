# One entry point for people: make run | test | lint | bench | eval | up | down
VENV := .venv
PY := $(VENV)/bin/python
THEOROS := $(VENV)/bin/theoros
DATA ?= ../shared/data
EVAL_HOME ?= .theoros-eval
# A portable llama.cpp build: a -march=native build enables AMX kernels that crash on virtual CPUs
# which advertise AMX without supporting it.
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
endif

.PHONY: install run test lint bench eval up down clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install --quiet -e ".[ollama,litellm,mcp,dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(THEOROS) ask "Who directed Jaws?"

# pytest exits 5 when it collected nothing: that is a failure here, never a pass.
test: install
	$(PY) -m pytest -q -p no:cacheprovider tests; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$rc

lint: install
	$(VENV)/bin/ruff check theoros_agents graphs tests scripts
	$(VENV)/bin/mypy theoros_agents

$(EVAL_HOME)/graph: install
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) ingest --kg $(DATA)/wikidata_films.nt

eval: $(EVAL_HOME)/graph
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) eval query_writer --dataset $(DATA)/kg_questions_dev.jsonl \
		--strategies rules,hybrid,intent,sparql --out $(EVAL_HOME)/query_writer.json

bench: $(EVAL_HOME)/graph
	THEOROS_HOME=$(EVAL_HOME) $(PY) -m theoros_agents.evaluation.bench

up:
	docker compose up -d

down:
	docker compose down

clean:
	rm -rf $(VENV) $(EVAL_HOME)
