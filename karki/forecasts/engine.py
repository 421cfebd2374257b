"""The Monte Carlo model of a programme's yearly savings, vectorised with numpy. No Django and no
database here: `karki/forecasts/inputs.py` builds a `Model` from a programme version and its
monitoring, this module draws from it.

The model (the help page, templates/forecasts/help.html, says the same in plain language):

- An *item* is a figure that counts under the roll-up rule (`money.covered_figures`): a target's
  estimate covering its measures, or a measure's own. Its full yearly effect is drawn uniformly between
  the estimate's minimum and maximum. A point has both equal, so it is exactly that amount; an upper
  bound is 0…bound; enabling and to-be-specified items are 0…0 and add nothing.
- A *part* is a measure carrying a share of an item (a target's estimate is split equally over its
  measures). Each part happens or not, independently of the others, with its `chance`. When it happens,
  its share of the item's amount counts in each year by its `weights`: the ramp towards the full effect
  times the part of the year that is not already known from realised savings.
- `fixed` adds, per year, what is already realised: facts, not draws.
- A *floor* is a measure's recurring run-rate (what it has been saving a year, `monitoring.recurrence`):
  in the months after the period its savings are at least that, so a floor adds, per year, the share of
  those months times how far the part's drawn level (its full effect times the ramp) stays below it.
  A floor without a part (a measure with no figure of its own) adds its run-rate as a fact.
- The engine knows no years, only columns: `inputs` lays the yearly level (recurring savings) and the
  year's one-off savings side by side.

Vectorised: each block of draws is a (draws × parts) matrix of uniforms U. `U < chance` says whether a
part happens; for a part that is an item of its own, U also says how much, because given U < p the
number U / p is uniform on [0, 1). A part of an item shared with other parts takes the item's amount
from a second matrix V (the column of the item's first part). V holds 16-bit integers from the raw bits
of its stream, read as the midpoints of 65 536 equal steps: a quarter of the random bits of a float,
as wide as U for common random numbers but drawn in a fraction of U's time; an amount's step is 1/65 536
of its range (150 euros of a 10 M€ spread), far below the Monte Carlo error. One matrix product with the (parts ×
years) weights gives every draw's savings per year. There is no Python loop over draws, only over
blocks of a few hundred thousand numbers that keep the working set small.

Common random numbers: U has a column for every part whatever the scenario (a dropped part keeps its
column with chance 0), the block size depends only on the number of parts, and U, V and the basket
measures each draw from their own stream spawned from the seed. A what-if and the baseline therefore
see the same luck, and the difference between them is the change, not noise.

Precision: the draws and their products are single-precision floats (half the memory traffic, the
bottleneck), summed per year into double precision. A draw's yearly total is off by a few hundred
euros at most on a programme of hundreds of millions, far below the Monte Carlo error of the
percentiles (±0,1–0,2 M€ with the page's draws). Certain parts are not drawn at all and go into the
exact `fixed` sum, so a certain point estimate comes out exactly.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace

import numpy as np

# Numbers per block of draws (U and the product's input): about 1 MB, so a block stays in cache.
BLOCK_CELLS = 1 << 18
FLOAT = np.float32
# Independent random streams spawned from the seed, one per kind of draw.
HAPPENING, SHARED_AMOUNTS, EXTRA_HAPPENING, EXTRA_SHARED_AMOUNTS = range(4)


@dataclass(frozen=True)
class Item:
    """A figure that counts: its full yearly effect lies between `low` and `high` euros."""

    code: str
    low: float
    high: float

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    @property
    def mean_square(self) -> float:
        return (self.low * self.low + self.low * self.high + self.high * self.high) / 3


@dataclass(frozen=True)
class Part:
    """A measure carrying `share` of item `item`; happens with `chance`; `weights` per year."""

    code: str
    item: int
    weights: tuple[float, ...]
    share: float = 1.0
    chance: float = 1.0


@dataclass(frozen=True)
class Floor:
    """A recurring run-rate of `amount` euros a year under part `part` (None: under no part). In column c
    it adds `future[c]` × max(0, amount − the part's full effect in the draw × `ramp[c]`)."""

    part: int | None
    amount: float
    ramp: tuple[float, ...]
    future: tuple[float, ...]  # the share of the column's year after the period


@dataclass
class Model:
    years: tuple[int, ...]  # one label per column
    items: list[Item] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    fixed: tuple[float, ...] = ()  # realised savings per year, euros
    floors: list[Floor] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.fixed:
            self.fixed = tuple(0.0 for _year in self.years)


@dataclass
class _Arrays:
    """The model as per-part vectors, ready for the blocks. The parts that need a draw come in two
    groups, *flat* ones first (a fixed amount that happens or not: only U < chance matters) and then
    the others (an amount within a range): the flat ones need one comparison instead of four passes."""

    random_columns: np.ndarray  # indices of the parts that need a draw: flat ones, then the others
    flat: int  # how many of random_columns are flat
    chance: np.ndarray  # per random column
    low: np.ndarray  # share × item's low, euros
    scale: np.ndarray  # share × item's (high − low) / chance for a part that is its item alone, else 0
    weights: np.ndarray  # (random columns, years)
    flat_weights: np.ndarray  # (flat columns, years): low × weights, so that (U < chance) @ it is euros
    shared_columns: np.ndarray  # among random_columns: positions of parts of shared items with a spread
    shared_span: np.ndarray  # share × item's (high − low) for those
    shared_leader: np.ndarray  # the column of V each of them reads (the item's first part)
    fixed: np.ndarray  # (years,) facts plus the parts that are certain


def _arrays(model: Model, *, draw_certain: bool = False) -> _Arrays:
    """Vectors of the model. Parts that are certain go into `fixed` (exact, no draw) unless
    `draw_certain`, which keeps them as columns (their draw is then exactly their amount)."""
    n_years = len(model.years)
    parts_of_item: dict[int, list[int]] = {}
    for index, part in enumerate(model.parts):
        parts_of_item.setdefault(part.item, []).append(index)
    chance = np.array([min(max(p.chance, 0.0), 1.0) for p in model.parts], dtype=np.float64)
    low = np.empty(len(model.parts))
    span = np.zeros(len(model.parts))
    weights = np.array([p.weights for p in model.parts], dtype=np.float64).reshape(len(model.parts), n_years)
    fixed = np.array(model.fixed, dtype=np.float64)
    flat, other, shared = [], [], {}
    for index, part in enumerate(model.parts):
        item = model.items[part.item]
        low[index] = part.share * item.low
        spread = part.share * (item.high - item.low)
        solo = len(parts_of_item[part.item]) == 1
        if solo:
            span[index] = spread
        if chance[index] <= 0 or not weights[index].any() or (item.low == 0 and item.high == 0):
            continue  # contributes nothing in any draw
        if chance[index] >= 1 and spread == 0 and not draw_certain:
            fixed += low[index] * weights[index]  # certain: no draw, exact
            continue
        if spread == 0:
            flat.append(index)
            continue
        if not solo:
            shared[index] = (spread, parts_of_item[part.item][0])
        other.append(index)
    columns = np.array(flat + other, dtype=np.intp)
    positions = [len(flat) + k for k, index in enumerate(other) if index in shared]
    scale = span / np.where(chance > 0, chance, 1.0)
    return _Arrays(
        random_columns=columns, flat=len(flat), chance=chance[columns].astype(FLOAT),
        low=low[columns].astype(FLOAT), scale=scale[columns].astype(FLOAT), weights=weights[columns].astype(FLOAT),
        flat_weights=(low[flat, None] * weights[flat]).astype(FLOAT),
        shared_columns=np.array(positions, dtype=np.intp),
        shared_span=np.array([shared[i][0] for i in other if i in shared], dtype=FLOAT),
        shared_leader=np.array([shared[i][1] for i in other if i in shared], dtype=np.intp), fixed=fixed,
    )


@dataclass
class _Floors:
    """The floors whose part's full effect varies between draws (the others are exact, in `fixed`)."""

    arrays: _Arrays | None  # the floor parts' full effects, as `_values` reads them from U and V
    amount: np.ndarray  # (floors,) euros a year
    ramp: np.ndarray  # (floors, active columns)
    future: np.ndarray  # (floors, active columns)
    fixed: np.ndarray  # (columns,) the floors that are the same in every draw
    columns: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))  # the active columns


def _floors(model: Model) -> _Floors:
    n_columns = len(model.years)
    fixed = np.zeros(n_columns)
    keep: list[Floor] = []
    own = {floor.part for floor in model.floors if floor.part is not None}
    # The floor parts only (weight 1, the others 0), certain ones drawn too: `_values` then gives each floor
    # part's full effect, from the same columns of U and V as the yearly sums.
    proxy = Model(model.years, model.items, [
        replace(p, weights=tuple(1.0 if i in own else 0.0 for _c in model.years)) for i, p in enumerate(model.parts)])
    arrays = _arrays(proxy, draw_certain=True) if own else None
    position = {int(part): k for k, part in enumerate(arrays.random_columns)} if arrays is not None else {}
    for floor in model.floors:
        if floor.amount <= 0:
            continue
        future = np.array(floor.future, dtype=np.float64)
        if floor.part is None or floor.part not in position:
            fixed += future * floor.amount  # no part, or one that never adds anything: the run-rate alone
            continue
        keep.append(floor)
    order = [position[floor.part] for floor in keep]
    if arrays is not None:
        columns = np.array(order, dtype=np.intp)
        arrays = _select(arrays, columns)
    ramp = np.array([f.ramp for f in keep], dtype=FLOAT).reshape(len(keep), n_columns)
    future = np.array([f.future for f in keep], dtype=FLOAT).reshape(len(keep), n_columns)
    active = np.flatnonzero(future.any(axis=0))  # only the columns after the period need the top-ups
    return _Floors(arrays=arrays if keep and len(active) else None,
                   amount=np.array([f.amount for f in keep], dtype=FLOAT), ramp=ramp[:, active],
                   future=future[:, active], fixed=fixed, columns=active)


def _select(a: _Arrays, positions: np.ndarray) -> _Arrays:
    """`a` narrowed to the random columns at `positions`, in that order, all read through `_values`."""
    shared = {int(p): k for k, p in enumerate(a.shared_columns)}
    kept = [k for k, p in enumerate(positions) if int(p) in shared]
    return _Arrays(
        random_columns=a.random_columns[positions], flat=0, chance=a.chance[positions], low=a.low[positions],
        scale=a.scale[positions], weights=a.weights[positions], flat_weights=a.flat_weights[:0],
        shared_columns=np.array(kept, dtype=np.intp),
        shared_span=np.array([a.shared_span[shared[int(positions[k])]] for k in kept], dtype=FLOAT),
        shared_leader=np.array([a.shared_leader[shared[int(positions[k])]] for k in kept], dtype=np.intp),
        fixed=a.fixed)


def _floor_sums(u: np.ndarray, v: np.ndarray | None, f: _Floors) -> np.ndarray:
    """(draws, active columns): each draw's top-ups to the floors."""
    x = _values(u, v, f.arrays)  # (draws, floors): each floor part's full effect in the draw
    short = f.amount[None, :, None] - x[:, :, None] * f.ramp[None, :, :]
    np.maximum(short, 0, out=short)
    short *= f.future[None, :, :]
    return short.sum(axis=1)


def block_rows(n_parts: int) -> int:
    return max(64, BLOCK_CELLS // max(n_parts, 1))


def _streams(seed: int) -> list[np.random.Generator]:
    return np.random.default_rng(seed).spawn(4)


def _values(u: np.ndarray, v: np.ndarray | None, a: _Arrays) -> np.ndarray:
    """Each random part's savings at its full effect, per draw (`simulate_parts`; `_year_sums` does the
    same arithmetic in reused buffers)."""
    x = u[:, a.random_columns]
    hit = np.less(x, a.chance)
    np.multiply(x, a.scale, out=x)  # x / chance is uniform on [0, 1) where the part happens
    np.add(x, a.low, out=x)
    np.multiply(x, hit, out=x)
    if len(a.shared_columns):
        s = a.shared_columns
        x[:, s] += hit[:, s] * a.shared_span * _shared_uniforms(v[:, a.shared_leader])
    return x


V_STEPS = 1 << 16


def _shared_draws(stream: np.random.Generator, rows: int, columns: int) -> np.ndarray:
    """V: (rows, columns) 16-bit integers, four from each raw 64-bit output of the stream."""
    cells = rows * columns
    return stream.bit_generator.random_raw(-(-cells // 4)).view(np.uint16)[:cells].reshape(rows, columns)


def _shared_uniforms(v: np.ndarray) -> np.ndarray:
    """V's integers as uniforms on [0, 1): the midpoint of each of the 65 536 steps (mean exactly ½)."""
    return (v.astype(FLOAT) + FLOAT(0.5)) * FLOAT(1 / V_STEPS)


def _year_sums(u: np.ndarray, v: np.ndarray | None, a: _Arrays, buffers: tuple) -> np.ndarray:
    """The block's savings per draw and year: the flat parts by one comparison and a product, the others
    through `_values` (the same arithmetic, on their columns only)."""
    flat_x, x, hit, sums, extra = buffers
    f = a.flat
    np.matmul(np.less(np.take(u, a.random_columns[:f], axis=1, out=flat_x), a.chance[:f], out=flat_x),
              a.flat_weights, out=sums)
    if len(a.random_columns) > f:
        cols = a.random_columns[f:]
        np.take(u, cols, axis=1, out=x)
        np.less(x, a.chance[f:], out=hit)
        np.multiply(x, a.scale[f:], out=x)
        np.add(x, a.low[f:], out=x)
        np.multiply(x, hit, out=x)
        if len(a.shared_columns):
            s = a.shared_columns - f
            x[:, s] += hit[:, s] * a.shared_span * _shared_uniforms(v[:, a.shared_leader])
        sums += np.matmul(x, a.weights[f:], out=extra)
    return sums


def simulate(model: Model, *, draws: int, seed: int) -> np.ndarray:
    """Savings per draw and column (year), euros: an array (draws, columns)."""
    a = _arrays(model)
    floors = _floors(model)
    n_parts, n_years = len(model.parts), len(model.years)
    totals = np.empty((draws, n_years))
    totals[:] = a.fixed + floors.fixed
    if len(a.random_columns) == 0 and floors.arrays is None:
        return totals
    needs_v = len(a.shared_columns) or (floors.arrays is not None and len(floors.arrays.shared_columns))
    streams = _streams(seed)
    rows = block_rows(n_parts)
    n_other = len(a.random_columns) - a.flat
    buffers = {}  # by block height: the last block may be shorter
    for start in range(0, draws, rows):
        n = min(rows, draws - start)
        if n not in buffers:
            buffers[n] = (np.empty((n, n_parts), dtype=FLOAT),
                          (np.empty((n, a.flat), dtype=FLOAT), np.empty((n, n_other), dtype=FLOAT),
                           np.empty((n, n_other), dtype=bool), np.empty((n, n_years), dtype=FLOAT),
                           np.empty((n, n_years), dtype=FLOAT)))
        u, work = buffers[n]
        streams[HAPPENING].random(out=u, dtype=FLOAT)
        v = _shared_draws(streams[SHARED_AMOUNTS], n, n_parts) if needs_v else None
        if floors.arrays is not None:
            totals[start:start + n, floors.columns] += _floor_sums(u, v, floors)
        if len(a.random_columns):
            totals[start:start + n] += _year_sums(u, v, a, work)
    return totals


def simulate_parts(model: Model, *, draws: int, seed: int, year_index: int) -> np.ndarray:
    """Each part's savings in one year per draw, (draws, parts). Draws from streams of its own, so
    that parts added on top of a programme (basket measures) leave the programme's draws as they are."""
    a = _arrays(model, draw_certain=True)
    result = np.zeros((draws, len(model.parts)))
    if len(a.random_columns) == 0:
        return result
    streams = _streams(seed)
    u = streams[EXTRA_HAPPENING].random((draws, len(model.parts)), dtype=FLOAT)
    v = (_shared_draws(streams[EXTRA_SHARED_AMOUNTS], draws, len(model.parts)) if len(a.shared_columns)
         else None)
    result[:, a.random_columns] = _values(u, v, a) * a.weights[:, year_index]
    return result


def item_variances(model: Model, year_index: int) -> np.ndarray:
    """Variance of each item's savings in one year, exactly (no draws).

    An item's savings are A × S with A its amount (uniform low…high) and S = Σ c_j B_j over its parts
    (c_j = share × weight, B_j whether the part happens, independent). Var = E[A²]E[S²] − E[A]²E[S]².
    """
    mean_s = np.zeros(len(model.items))
    var_s = np.zeros(len(model.items))
    for part in model.parts:
        p = min(max(part.chance, 0.0), 1.0)
        c = part.share * part.weights[year_index]
        mean_s[part.item] += c * p
        var_s[part.item] += c * c * p * (1 - p)
    result = np.zeros(len(model.items))
    for index, item in enumerate(model.items):
        result[index] = item.mean_square * (var_s[index] + mean_s[index] ** 2) - item.mean**2 * mean_s[index] ** 2
    return np.maximum(result, 0.0)


def quantile_error(sample: np.ndarray, q: float, z: float = 1.96) -> float:
    """Half-width of a 95 % interval for the q-quantile of `sample`'s distribution, from order
    statistics (distribution-free): how far a percentile could move with other draws."""
    n = len(sample)
    if n < 2:
        return 0.0
    spread = z * math.sqrt(n * q * (1 - q))
    lo = max(int(math.floor(n * q - spread)), 0)
    hi = min(int(math.ceil(n * q + spread)), n - 1)
    ordered = np.partition(sample, (lo, hi))
    return float(ordered[hi] - ordered[lo]) / 2


def probability_error(p: float, n: int, z: float = 1.96) -> float:
    """Half-width of the 95 % (Wilson) interval for a probability estimated from n draws; unlike the
    plain √(p(1 − p)/n) it is not zero when no draw (or every draw) reaches the target."""
    if not n:
        return 0.0
    return z / (1 + z * z / n) * math.sqrt(max(p * (1 - p), 0.0) / n + z * z / (4 * n * n))


# -- A straightforward pure-Python implementation of the same model ------------------------------
# For the benchmark (benchmarks/forecast.py), and for a test that both agree statistically.


def simulate_reference(model: Model, *, draws: int, seed: int) -> list[list[float]]:
    rng = random.Random(seed)
    n_years = len(model.years)
    results = []
    for _draw in range(draws):
        amounts = [item.low + (item.high - item.low) * rng.random() for item in model.items]
        year_totals = list(model.fixed)
        effect = []
        for part in model.parts:
            value = part.share * amounts[part.item] if rng.random() < part.chance else 0.0
            effect.append(value)
            for year in range(n_years):
                year_totals[year] += value * part.weights[year]
        for floor in model.floors:
            full = effect[floor.part] if floor.part is not None else 0.0
            for year in range(n_years):
                year_totals[year] += floor.future[year] * max(floor.amount - full * floor.ramp[year], 0.0)
        results.append(year_totals)
    return results
