def demo_step(run) -> None:
    pass
