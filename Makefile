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

.PHONY: install run test lint bench eval eval-tagger up down clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install --quiet -e ".[ollama,litellm,mcp,dev]"
	touch $@

install: $(VENV)/.installed

# The default (hybrid) query writer needs no model for this question; `intent` makes SmolLM2 pick the
# relation, so the trace shows the embedded model at work.
run: install
	$(THEOROS) ask --trace --set query_writer_strategy=intent "Who directed Jaws?"

# pytest exits 5 when it collected nothing: that is a failure here, never a pass.
test: install
	$(PY) -m pytest -q -p no:cacheprovider tests; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$rc

lint: install
	$(VENV)/bin/ruff check theoros_agents graphs tests scripts
	$(VENV)/bin/mypy theoros_agents

$(EVAL_HOME)/graph: install
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) ingest --kg $(DATA)/wikidata_films.nt

$(EVAL_HOME)/router_test.jsonl: install
	$(PY) scripts/build_router_examples.py $(DATA) $@

eval: $(EVAL_HOME)/graph $(EVAL_HOME)/plots.done $(EVAL_HOME)/router_test.jsonl
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) eval query_writer --dataset $(DATA)/kg_questions_dev.jsonl \
		--strategies rules,hybrid,intent,sparql --out $(EVAL_HOME)/query_writer.json
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) eval router --dataset $(EVAL_HOME)/router_test.jsonl
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) eval retriever --dataset datasets/retriever_dev.jsonl
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) eval retriever --dataset datasets/retriever_cross_dev.jsonl

# About 10.5k plot passages (Wikipedia plots, IMDB, Netflix): ~10 minutes of embedding on 2 cores, once.
# Ingest skips stored documents anyway; the stamp spares even that check.
$(EVAL_HOME)/plots.done: | $(EVAL_HOME)/graph
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) ingest --plots $(DATA)/wiki_movie_plots_sample.csv \
		--imdb $(DATA)/imdb_movies.csv --netflix $(DATA)/netflix_movies.csv
	touch $@

# The tagger on IMDB's 20 genres: a seeded 60/40 split of imdb_movies.csv; trained and tuned on the 60%, scored on the 40%.
$(EVAL_HOME)/tagger_imdb_dev.jsonl: | install
	$(PY) scripts/build_tagger_sets.py --data $(DATA) --out $(EVAL_HOME)

$(EVAL_HOME)/tagger/imdb.joblib: $(EVAL_HOME)/tagger_imdb_dev.jsonl
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) train tagger --dataset $(EVAL_HOME)/tagger_imdb_dev.jsonl --labels imdb \
		--extra $(EVAL_HOME)/tagger_extra_netflix.jsonl --extra $(EVAL_HOME)/tagger_extra_wikiplots.jsonl --name imdb

eval-tagger: $(EVAL_HOME)/tagger/imdb.joblib
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) eval tagger --dataset $(EVAL_HOME)/tagger_imdb_test.jsonl \
		--strategies embedding,tfidf,minilm,ensemble,slm_pick,slm --set tagger_classifier=imdb --out $(EVAL_HOME)/tagger.json

bench: $(EVAL_HOME)/graph $(EVAL_HOME)/plots.done
	THEOROS_HOME=$(EVAL_HOME) THEOROS_DATA=$(DATA) $(PY) -m theoros_agents.evaluation.bench
	THEOROS_HOME=$(EVAL_HOME) $(PY) -m theoros_agents.evaluation.bench_supervisor

up:
	docker compose up -d

down:
	docker compose down

clean:
	rm -rf $(VENV) $(EVAL_HOME)
