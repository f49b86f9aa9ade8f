-- Run once by the postgres image on an empty volume: Aegra keeps its own tables in the database POSTGRES_DB
-- names (aegra); `theoros mcp` and the CLI keep their conversation threads beside it (THEOROS_CHECKPOINTER).
CREATE DATABASE threads;
