from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wegweiser.directory import basemap


class Command(BaseCommand):
    help = (
        "Build the maps' own background (Länder, Hessen's Kreise, water, place names) from the "
        "shipped geodata into static/directory/map-background.geojson. With --natural-earth, "
        "first renew the water extract from Natural Earth's 1:10m GeoJSON files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--natural-earth",
            type=Path,
            help="folder with " + ", ".join(basemap.NATURAL_EARTH_FILES),
        )
        parser.add_argument("--geodata", type=Path, default=basemap.GEODATA)
        parser.add_argument("--output", type=Path, default=basemap.OUTPUT)

    def handle(self, *args, natural_earth, geodata, output, **options):
        if natural_earth is not None:
            missing = [n for n in basemap.NATURAL_EARTH_FILES if not (natural_earth / n).exists()]
            if missing:
                raise CommandError(f"not found in {natural_earth}: {', '.join(missing)}")
            outline = basemap.germany_outline(basemap.germany_kreise(geodata))
            extract = basemap.extract_water(natural_earth, outline)
            target = geodata / basemap.WATER_EXTRACT
            target.write_text(basemap.dumps(extract), encoding="utf-8")
            self.stdout.write(f"{target}: {len(extract['features'])} water features")
        collection = basemap.build(geodata)
        text = basemap.dumps(collection)
        output.write_text(text, encoding="utf-8")
        self.stdout.write(
            f"{output}: {len(collection['features'])} features, {len(text.encode()) // 1024} KB"
        )
