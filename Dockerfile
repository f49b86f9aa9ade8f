# The Theoros image: the API served by Aegra (the `theoros` service), `theoros mcp` and the CLI.
# docker-compose.yml builds it; .dockerignore keeps the virtualenv, caches and tests out of the context.
FROM python:3.11-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential cmake \
    && rm -rf /var/lib/apt/lists/*
# The CPU build of torch: the default wheel pulls several GB of CUDA libraries that MiniLM does not need here.
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0"

WORKDIR /app
COPY pyproject.toml README.md aegra.json langgraph.json ./
COPY theoros_agents ./theoros_agents
COPY prompts ./prompts
COPY graphs ./graphs
# A portable llama.cpp build (as in the Makefile): -march=native would tie the image to the build host's CPU.
RUN CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" \
    pip install --no-cache-dir ".[ollama,litellm,mcp,postgres,aegra]"

RUN useradd --create-home --uid 1000 theoros && mkdir -p /data && chown theoros /data
USER theoros
ENV THEOROS_HOME=/data AEGRA_CONFIG=/app/aegra.json LANGGRAPH_CLI_NO_ANALYTICS=1 LITELLM_LOCAL_MODEL_COST_MAP=True
EXPOSE 2024 8000
CMD ["sh", "-c", "python -m theoros_agents.aegra_setup && exec uvicorn aegra_api.main:app --host 0.0.0.0 --port 2024 --workers ${WORKERS:-2}"]
