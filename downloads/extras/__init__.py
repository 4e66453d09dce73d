"""What the pipeline adds around a file from outside services: lyrics, genres (docs/integrations.md)."""
