"""`make bench`: latency, throughput, memory, scaling, concurrency and token cost, each figure beside its target.

Sections (`python -m theoros_agents.evaluation.bench --only NAME,...`):

- `cold_start`: a fresh `theoros ask` process per run against `python -c "import langgraph.graph"`;
- `api`: the Python API, warm, p50/p95 per kind of question;
- `overhead`: a whole `ask` through LangGraph against the same node functions awaited directly;
- `components`: routing, entity linking, SPARQL (one-hop, multi-hop), hybrid search, tagging, judging;
- `ingest`: KG and plot ingest throughput and peak memory, each in a child process;
- `scaling`: hybrid search over synthesised corpora of 1k, 10k and 100k passages;
- `concurrency`: 50 simultaneous requests through the Python API, `langgraph dev` and two Aegra workers,
  and parallel fan-out against the same parts asked one after the other;
- `tokens`: tokens per answered question, Theoros's specialists against a one-model ReAct agent.

Figures are medians over repeated runs (p95 beside latencies); targets are reported with met/MISSED and never
asserted. The table is printed and saved as JSON.
"""
