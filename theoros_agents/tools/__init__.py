"""MCP tools consumed and served by Theoros."""
