"""The built-in scenarios, one YAML file each (read by :func:`alliance.scenario.load_scenario`)."""
