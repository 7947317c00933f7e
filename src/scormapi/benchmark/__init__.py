"""The project's benchmark: a data generator and a load run (see bench/README.md)."""
