"""The version's planned savings by year: recurring estimates build up a level, one-off ones count once."""

from karki.programmes.models import Measure, Target, YearlyRampStep
from karki.programmes.summary import summarise


def test_by_year__one_off_estimate_counts_once_not_in_the_level(draft):
    """A one-off target with a short horizon counts its amount in its first year only; recurring, it
    counted the amount again in every year of its full effect."""
    YearlyRampStep.objects.filter(version=draft).delete()  # the derived ramp, not the stated one
    before = {row.year: row for row in summarise(draft).by_year}
    target = Target.objects.filter(version=draft).exclude(estimate_kind="").order_by("code").first()
    Target.objects.filter(pk=target.pk).update(estimate_recurrence="one_off")
    Measure.objects.filter(target=target).update(horizon="short")
    after = {row.year: row for row in summarise(draft).by_year}
    expected = target.estimate.expected
    first = min(after)
    assert after[first].one_off_eur == expected
    assert all(after[year].one_off_eur == 0 for year in after if year != first)
    # The cumulative sum gains the amount once; without the one-off every later year had it again.
    last = max(after)
    assert after[last].cumulative_eur < before[last].cumulative_eur
