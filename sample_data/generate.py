"""Regenerate the bundled sample datasets (seeded, so the files are byte-identical every run).

Each file shows one case the advisor must get right:

- fraud.csv           imbalanced binary target (is_fraud, ~0.6% positive)
- house_prices.csv    heavy-tailed, right-skewed regression target with outliers (price)
- claims.csv          overdispersed, zero-inflated counts (n_claims)
- species.csv         balanced multiclass text labels (species)
- article_tags.csv    multilabel target in several 0/1 columns (tag_*)
- ratings.csv         ordinal 1-5 star ratings (stars)
- clicks.csv          graded relevance 0-3 of results grouped by query (relevance, --group query_id)

Run: python sample_data/generate.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def _write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with (HERE / name).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _f(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}"


def fraud(rng: np.random.Generator, n: int = 12_000) -> None:
    amount = rng.lognormal(3.5, 1.1, n)
    hour = rng.integers(0, 24, n)
    merchant = rng.choice(["grocery", "fuel", "online", "travel", "electronics"], n,
                          p=[0.35, 0.2, 0.3, 0.05, 0.1])
    foreign = rng.random(n) < 0.08
    logit = -6.2 + 0.9 * foreign + 0.5 * (merchant == "electronics") + 0.35 * (hour < 5) + 0.15 * (
        np.log(amount) - 3.5)
    is_fraud = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    rows = [[i + 100_000, _f(a), h, m, int(f), y]
            for i, (a, h, m, f, y) in enumerate(zip(amount, hour, merchant, foreign, is_fraud))]
    _write("fraud.csv", ["transaction_id", "amount", "hour", "merchant", "foreign", "is_fraud"],
           rows)


def house_prices(rng: np.random.Generator, n: int = 3_000) -> None:
    area = rng.gamma(6.0, 22.0, n) + 25
    rooms = np.clip(np.round(area / 28 + rng.normal(0, 0.8, n)), 1, 12).astype(int)
    year = rng.integers(1900, 2024, n)
    noise = rng.standard_t(3, n) * 0.25
    price = np.exp(10.6 + 0.9 * np.log(area) / 1.5 + 0.002 * (year - 1960) + noise)
    luxury = rng.random(n) < 0.01
    price[luxury] *= rng.uniform(4, 12, luxury.sum())
    rows = [[i + 1, _f(a, 1), r, y, _f(p, 0)]
            for i, (a, r, y, p) in enumerate(zip(area, rooms, year, price))]
    _write("house_prices.csv", ["listing_id", "area_m2", "rooms", "year_built", "price"], rows)


def claims(rng: np.random.Generator, n: int = 4_000) -> None:
    age = rng.integers(18, 80, n)
    exposure = np.round(rng.uniform(0.1, 1.0, n), 2)
    power = rng.integers(4, 15, n)
    region = rng.choice(["north", "south", "east", "west"], n)
    rate = np.exp(-0.4 + 0.015 * (power - 8) - 0.01 * (age - 45)) * exposure
    # Negative binomial counts (gamma-mixed Poisson) and a large structural-zero share.
    counts = rng.poisson(rng.gamma(0.8, rate / 0.8 * 2.2))
    counts[rng.random(n) < 0.45] = 0
    rows = [[i + 1, a, e, p, r, c]
            for i, (a, e, p, r, c) in enumerate(zip(age, exposure, power, region, counts))]
    _write("claims.csv", ["policy_id", "driver_age", "exposure", "vehicle_power", "region",
                          "n_claims"], rows)


def species(rng: np.random.Generator, n_per: int = 300) -> None:
    rows = []
    centres = {"adelie": (38.8, 18.3, 190), "chinstrap": (48.8, 18.4, 196),
               "gentoo": (47.5, 15.0, 217)}
    for name, (bill, depth, flipper) in centres.items():
        for _ in range(n_per):
            rows.append([_f(rng.normal(bill, 2.8), 1), _f(rng.normal(depth, 1.1), 1),
                         int(rng.normal(flipper, 6.5)), name])
    order = rng.permutation(len(rows))
    _write("species.csv", ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "species"],
           [rows[i] for i in order])


def article_tags(rng: np.random.Generator, n: int = 2_000) -> None:
    words = rng.integers(150, 2500, n)
    rates = {"tag_politics": 0.32, "tag_sports": 0.22, "tag_tech": 0.18, "tag_health": 0.09,
             "tag_science": 0.025}
    tags = {name: (rng.random(n) < p).astype(int) for name, p in rates.items()}
    tags["tag_science"] |= (tags["tag_tech"] & (rng.random(n) < 0.1)).astype(int)
    rows = [[i + 1, w, *[tags[t][i] for t in rates]] for i, w in enumerate(words)]
    _write("article_tags.csv", ["article_id", "word_count", *rates], rows)


def ratings(rng: np.random.Generator, n: int = 3_000) -> None:
    price = np.round(rng.lognormal(3.0, 0.6, n), 2)
    delivery = rng.integers(1, 15, n)
    stars = rng.choice([1, 2, 3, 4, 5], n, p=[0.08, 0.1, 0.2, 0.32, 0.3])
    rows = [[i + 1, _f(p), d, s] for i, (p, d, s) in enumerate(zip(price, delivery, stars))]
    _write("ratings.csv", ["review_id", "price", "delivery_days", "stars"], rows)


def clicks(rng: np.random.Generator, n_queries: int = 400) -> None:
    """Search results per query: a few one-result queries and some with nothing relevant."""
    rows = []
    for query in range(1, n_queries + 1):
        size = 1 if rng.random() < 0.03 else int(rng.integers(3, 25))
        bm25 = rng.gamma(2.0, 2.0, size)
        hardness = rng.normal(0.0, 1.5)
        grade = np.clip(np.floor(bm25 / 3.0 - hardness + rng.normal(0, 0.8, size)), 0, 3)
        for i in range(size):
            rows.append([query, i + 1, _f(bm25[i]), int(grade[i])])
    _write("clicks.csv", ["query_id", "position", "bm25", "relevance"], rows)


def main() -> None:
    rng = np.random.default_rng(20261124)
    for make in (fraud, house_prices, claims, species, article_tags, ratings, clicks):
        make(rng)


if __name__ == "__main__":
    main()
