from django.core.management.base import BaseCommand

from wegweiser.core import demo


class Command(BaseCommand):
    help = (
        "Load the programme catalogue, the regions and the clearly synthetic demo directory "
        "used by `make run`. Keeps an existing demo directory unless --reset or --offers is given."
    )

    def add_arguments(self, parser):
        for step in demo.steps():
            if step.add_arguments is not None:
                step.add_arguments(parser)

    def handle(self, *args, **options):
        run = demo.DemoRun(options, self.stdout, self.stderr, demo.steps())
        for step in run.steps:
            step.run(run)
