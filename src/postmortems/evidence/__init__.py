"""Evidence: raw files (logs, alerts, pages, chat, deploys, git) turned into events."""
