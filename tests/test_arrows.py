"""Sociogram arrows: hand-worked geometry, and one SVG path per tie in tie order."""

from __future__ import annotations

import re

import numpy as np
import pytest

import kflow
from kflow.reporting import arrows
from kflow.reporting.sections import build_model


def test_arrow_polygon_by_hand():
    # Along +x from (0, 0) to (1, 0), shaft 0.02 wide: the head is 0.11 long to the wings,
    # 0.09 along the axis, 0.09 wide.
    poly = arrows.arrow_polygons([[0.0, 0.0]], [[1.0, 0.0]], 0.02)[0]
    expected = [
        (0.0, 0.01), (0.91, 0.01), (0.89, 0.045), (1.0, 0.0),
        (0.89, -0.045), (0.91, -0.01), (0.0, -0.01), (0.0, 0.01),
    ]
    np.testing.assert_allclose(poly, expected, atol=1e-12)


def test_short_arrow_is_all_head_and_keeps_its_tip():
    poly = arrows.arrow_polygons([[0.0, 0.0]], [[0.0, 0.05]], 0.02)[0]
    np.testing.assert_allclose(poly[3], [0.0, 0.05])
    # 0.05 is shorter than the 0.11 head: the wings sit at the start, scaled down.
    np.testing.assert_allclose(poly[2], [-0.045 * 0.05 / 0.11, 0.0], atol=1e-12)


@pytest.mark.parametrize("name", ["example_cluster", "wine_cluster"])
def test_one_svg_path_per_tie_in_order(name):
    survey = kflow.datasets.load_network(name)
    model = build_model(survey, seed=0, n_resamples=20, n_permutations=99)
    svg = model.figures["sociogram"]
    group = re.search(r'<g id="kflow-ties">(.*?)</g>', svg, re.S).group(1)
    paths = re.findall(r'<path d="([^"]*)"[^>]*style="([^"]*)"', group)
    assert len(paths) == len(survey.layer())
    assert all("fill-opacity: 0.45" in style and "opacity: 0.45;" not in style
               for _, style in paths)
    # Each path is one closed arrow of seven corners.
    assert all(d.count("L ") == 6 and d.rstrip().endswith("z") for d, _ in paths)
    outside = re.search(r'<g id="kflow-outside-ties">(.*?)</g>', svg, re.S)
    assert outside is not None and outside.group(1).count("<path") == len(survey.external)


def test_split_leaves_other_svg_alone():
    svg = '<g id="x">\n <path d="M 0 0 \nL 1 1 \nz\nM 2 2 \nL 3 3 \nz\n" style="s"/>\n</g>'
    out = arrows.split_arrows(svg, "x")
    assert out.count("<path") == 2 and 'd="M 2 2 \nL 3 3 \nz" style="s"/>' in out
    assert arrows.split_arrows(svg, "missing") == svg


def test_outer_ring_is_mentioned_only_with_outside_actors(tmp_path):
    # wine_cluster names its outside actors; the same ties without them (as when outside links
    # are recorded as counts per firm) have none to draw.
    wine = kflow.datasets.load_network("wine_cluster")
    bare = kflow.read_survey(wine.ties, orientation="flow",
                             firms=wine.firms.reset_index()[["firm_id"]])
    assert len(bare.external) == 0
    for survey, expected in ((wine, True), (bare, False)):
        model = build_model(survey, seed=0, n_resamples=20, n_permutations=99)
        assert model.sections["sociogram"]["actors"] is expected
        svg = model.figures["sociogram"]
        assert ("outside actor" in svg) is expected
