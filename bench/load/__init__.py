"""Load test: locust scenario and runner (python -m bench.load.run)."""
