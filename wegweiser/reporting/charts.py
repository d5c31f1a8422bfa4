"""Charts drawn on our server as inline SVG: no script, no request to anyone else.

Each chart is an image with a title (``role="img"``, ``aria-labelledby``) and stands next to a
table with the same figures for screen readers and print. Hidden (suppressed) values draw no
bar. The Kreis map draws the Hessian Kreise from the same open geodata as the directory's map
(``core.geo``), shaded by count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from itertools import count

import shapely
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from shapely.geometry import shape

from wegweiser.core import geo

#: Colours with a contrast ≥ 3:1 against white (WCAG 1.4.11), one per series.
SERIES_COLOURS = ("#1f5f99", "#b3541e", "#2e7d32", "#6a1b9a")
MAP_SHADES = ("#eef3f8", "#c6d8ea", "#8fb3d6", "#4f86bd", "#1f5f99")
_ids = count(1)


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, Sequence[int | None]]],
    series: Sequence[str],
) -> SafeString:
    """Horizontal bars: one group per row label, one bar per series."""
    chart_id = f"chart-{next(_ids)}"
    # narrow, so that the text stays readable where a phone shrinks the drawing to its width
    bar_h, gap, label_w, width = 16, 10, 150, 400
    values = [v for _label, vs in rows for v in vs if v is not None]
    top = max(values, default=0) or 1
    group_h = bar_h * len(series) + gap
    legend_h = 22
    height = legend_h + group_h * max(len(rows), 1) + gap
    parts = [
        format_html(
            '<svg class="chart" role="img" aria-labelledby="{}" viewBox="0 0 {} {}" '
            'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
            '<title id="{}">{}</title>',
            chart_id,
            width,
            height,
            chart_id,
            title,
        )
    ]
    x = 0
    for i, name in enumerate(series):
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="15" font-size="13">{}</text>',
                x,
                SERIES_COLOURS[i % len(SERIES_COLOURS)],
                x + 16,
                name,
            )
        )
        x += 16 + 8 * len(str(name)) + 20
    plot_w = width - label_w - 50
    for r, (label, vs) in enumerate(rows):
        y0 = legend_h + r * group_h
        parts.append(
            format_html(
                '<text x="0" y="{}" font-size="13">{}</text>',
                y0 + bar_h * len(series) / 2 + 4,
                label,
            )
        )
        for i, v in enumerate(vs):
            y = y0 + i * bar_h
            if v is None:
                parts.append(
                    format_html('<text x="{}" y="{}" font-size="12">•</text>', label_w + 4, y + 12)
                )
                continue
            w = round(plot_w * v / top, 1)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="12">{}</text>',
                    label_w,
                    y + 1,
                    w,
                    bar_h - 2,
                    SERIES_COLOURS[i % len(SERIES_COLOURS)],
                    label_w + w + 4,
                    y + 12,
                    v,
                )
            )
    parts.append(mark_safe("</svg>"))  # noqa: S308 (a constant)
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped by format_html)


@lru_cache(maxsize=1)
def _hessen_paths() -> tuple[tuple[str, str, str], ...]:
    """(ags, name, SVG path) of each Hessian Kreis, projected to a 400-wide frame."""
    records = [r for r in geo.region_records() if r.land_ags == geo.HESSEN and r.geometry]
    shapes = [shapely.simplify(shape(r.geometry), 0.004) for r in records]
    minx = min(s.bounds[0] for s in shapes)
    maxx = max(s.bounds[2] for s in shapes)
    maxy = max(s.bounds[3] for s in shapes)
    kx = math.cos(math.radians(50.5))
    scale = 400 / ((maxx - minx) * kx)

    def ring(coords) -> str:
        pts = [f"{(x - minx) * kx * scale:.1f},{(maxy - y) * scale:.1f}" for x, y in coords]
        return "M" + "L".join(pts) + "Z"

    out = []
    for record, geom in zip(records, shapes, strict=True):
        polygons = getattr(geom, "geoms", [geom])
        d = "".join(ring(p.exterior.coords) for p in polygons)
        out.append((record.ags, record.name, d))
    return tuple(out)


def map_height() -> int:
    ys = [float(pt.split(",")[1]) for _a, _n, d in _hessen_paths() for pt in _points(d)]
    return math.ceil(max(ys, default=400))


def _points(d: str) -> list[str]:
    return [p for p in d.replace("M", "L").replace("Z", "").split("L") if p]


def kreis_map(title: str, counts: dict[str, int | None]) -> SafeString:
    """The Hessian Kreise shaded by ``counts`` (Kreis key → participations; None: hidden)."""
    chart_id = f"chart-{next(_ids)}"
    top = max((v for v in counts.values() if v), default=0) or 1
    parts = [
        format_html(
            '<svg class="chart kreis-map" role="img" aria-labelledby="{}" viewBox="0 0 400 {}" '
            'xmlns="http://www.w3.org/2000/svg"><title id="{}">{}</title>',
            chart_id,
            map_height(),
            chart_id,
            title,
        )
    ]
    for ags, name, d in _hessen_paths():
        value = counts.get(ags, 0)
        shade = 0 if not value else 1 + min(3, int(3 * value / top))
        label = f"{name}: {'•' if value is None else value}"
        parts.append(
            format_html(
                '<path d="{}" fill="{}" stroke="#555" stroke-width="0.6"><title>{}</title></path>',
                d,
                MAP_SHADES[shade],
                label,
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 (a constant)
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped by format_html)


def kreis_names() -> dict[str, str]:
    return {r.ags: r.name for r in geo.region_records()}


__all__ = ["bar_chart", "escape", "kreis_map", "kreis_names"]
