"""Pure domain layer: models, the lifecycle state machine, billing rules, metrics. No I/O, no UI."""
