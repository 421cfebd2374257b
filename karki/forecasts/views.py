from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from karki.accounts import permissions as perms
from karki.core.content import translated
from karki.core.forms import apply_errors
from karki.figures import read as figures
from karki.monitoring.enums import TrafficLight
from karki.monitoring.models import Period
from karki.programmes.models import ProgrammeVersion

from . import assumptions, services
from .baskets import basket_decisions, basket_plan, contingency, latest_decisions
from .charts import band_charts
from .forms import BasketDecisionForm, ScenarioNameForm, WhatIfFormSet, whatif_initial
from .inputs import Change, ForecastUnavailable
from .models import Scenario
from .permissions import forecast_period, forecast_version, get_forecast_programme


def _unless_unavailable(page: str):
    """A programme whose facts allow no forecast (a target year outside its years, stored before that was
    refused) gets a page that says what to correct instead of an error."""
    def decorate(view):
        @wraps(view)
        def wrapper(request, slug: str, *args, **kwargs):
            try:
                return view(request, slug, *args, **kwargs)
            except ForecastUnavailable as problem:
                programme = get_forecast_programme(request, slug)
                return render(request, "forecasts/unavailable.html",
                              _context(request, programme, problem=problem.message, page=page))
        return wrapper
    return decorate


def _context(request, programme, **extra) -> dict:
    return {
        "programme": programme, "nav": "programmes",
        "can_save_scenario": perms.can_save_scenario(request.user, programme),
        "can_decide_baskets": perms.can_record_basket_decision(request.user, programme),
        **extra,
    }


def _choices(programme) -> dict:
    return {
        "versions": list(ProgrammeVersion.objects.filter(programme=programme).order_by("-number")),
        "periods": list(Period.objects.filter(programme=programme).order_by("-year", "-month")),
    }


def _label(obj) -> str:
    name = translated(obj, "name").text
    return f"{obj.code} – {name[:70]}{'…' if len(name) > 70 else ''}"


def code_choices(summary) -> list[tuple[str, str]]:
    """Targets and measures of the version, for the what-if's list of suggestions."""
    found = []
    for theme in summary.themes:
        for row in theme.targets:
            found.append((row.target.code, _label(row.target)))
            found.extend((m.code, _label(m)) for m in row.measures)
    return found


def _formset(data, summary, initial=None) -> WhatIfFormSet:
    targets = [row.target.code for theme in summary.themes for row in theme.targets]
    measures = [m.code for theme in summary.themes for row in theme.targets for m in row.measures]
    return WhatIfFormSet(data, prefix="change", initial=initial, form_kwargs={"targets": targets,
                                                                              "measures": measures})


def _charts(forecast, language) -> dict:
    return {"years": band_charts(forecast.by_year, forecast.target_eur, language),
            "cumulative": band_charts(forecast.cumulative, None, language)}


@_unless_unavailable("forecast")
@login_required
@require_http_methods(["GET", "POST"])
def forecast_page(request, slug: str):
    """The forecast of a version in a period, and a what-if that updates it without saving anything."""
    programme = get_forecast_programme(request, slug)
    params = request.POST if request.method == "POST" else request.GET
    version = forecast_version(programme, params.get("version"))
    period = forecast_period(programme, params.get("period"))
    summary = figures.summary(version)
    codes = code_choices(summary)
    scenario = None
    if request.method == "GET" and request.GET.get("scenario"):
        scenario = get_object_or_404(Scenario, programme=programme, pk=_int(request.GET["scenario"]))
    if request.method == "POST":
        formset = _formset(request.POST, summary)
    else:
        initial = whatif_initial([Change.from_json(c) for c in scenario.changes]) if scenario else None
        formset = _formset(None, summary, initial=initial)
    name_form = ScenarioNameForm(request.POST or None, initial={"name": scenario.name if scenario else ""})
    baseline = figures.forecast(version, period=period)
    whatif = None
    valid = formset.is_valid() if formset.is_bound else None
    if scenario is not None:
        whatif = figures.forecast(version, period=period,
                              changes=[Change.from_json(c) for c in scenario.changes])
    elif valid and formset.changes():
        whatif = figures.forecast(version, period=period, changes=formset.changes())
    context = _context(request, programme, version=version, period=period, baseline=baseline, whatif=whatif,
                       shown=whatif or baseline, formset=formset, name_form=name_form, scenario=scenario, codes=codes,
                       charts=_charts(whatif or baseline, get_language()), **_choices(programme),
                       draws=assumptions.DEFAULT_DRAWS)
    if request.htmx and request.method == "POST":
        if valid:
            return render(request, "forecasts/forecast.html#results-swap", context)
        response = render(request, "forecasts/forecast.html#whatif", context)
        response["HX-Retarget"], response["HX-Reswap"] = "#whatif", "outerHTML"
        return response
    status = 400 if formset.is_bound and not valid else 200
    return render(request, "forecasts/forecast.html", context, status=status)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@_unless_unavailable("scenarios")
@login_required
@require_http_methods(["GET", "POST"])
def scenarios(request, slug: str):
    """Saved scenarios, who saved them and when, with their figures then and now; POST saves one."""
    programme = get_forecast_programme(request, slug, save_scenario=request.method == "POST")
    if request.method == "POST":
        return _save_scenario(request, programme)
    saved = list(Scenario.objects.for_programme(programme).newest_first().select_related("created_by", "version"))
    chosen = [s for s in saved if str(s.pk) in request.GET.getlist("compare")][:3]
    compared = []
    if chosen:
        period = forecast_period(programme, None)
        by_version: dict[int, tuple] = {}  # the baseline once per version, however many scenarios share it
        for item in chosen:
            if item.version_id not in by_version:
                summary = figures.summary(item.version)
                by_version[item.version_id] = (summary, figures.forecast(item.version, period=period))
            summary, base = by_version[item.version_id]
            now = figures.forecast(item.version, period=period, changes=[Change.from_json(c) for c in item.changes])
            compared.append((item, base, now))
    return render(request, "forecasts/scenarios.html", _context(
        request, programme, saved=saved, compared=compared, chosen=[s.pk for s in chosen]))


def _save_scenario(request, programme):
    version = forecast_version(programme, request.POST.get("version"))
    period = forecast_period(programme, request.POST.get("period"))
    summary = figures.summary(version)
    codes = code_choices(summary)
    formset = _formset(request.POST, summary)
    name_form = ScenarioNameForm(request.POST)
    baseline = figures.forecast(version, period=period)
    whatif = None
    if formset.is_valid() and name_form.is_valid():
        whatif = figures.forecast(version, period=period, changes=formset.changes())
        try:
            scenario = services.save_scenario(forecast=whatif, name=name_form.cleaned_data["name"], by=request.user)
        except ValidationError as error:
            apply_errors(name_form, error)
        else:
            messages.success(request, _("Scenario “%(name)s” saved.") % {"name": scenario.name})
            url = reverse("forecasts:scenarios", args=[programme.slug]) + f"?compare={scenario.pk}"
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = _context(request, programme, version=version, period=period, baseline=baseline, whatif=whatif,
                       shown=whatif or baseline, formset=formset, name_form=name_form, scenario=None, codes=codes,
                       charts=_charts(whatif or baseline, get_language()), **_choices(programme),
                       draws=assumptions.DEFAULT_DRAWS)
    if request.htmx:
        response = render(request, "forecasts/forecast.html#whatif", context)
        response["HX-Retarget"], response["HX-Reswap"] = "#whatif", "outerHTML"
        return response
    return render(request, "forecasts/forecast.html", context, status=400)


@login_required
def help_page(request, slug: str):
    programme = get_forecast_programme(request, slug)
    phases = [(value, label, assumptions.CHANCE_BY_PHASE[value]) for value, label in _phase_rows()]
    lights = [(TrafficLight(value), factor) for value, factor in assumptions.TRAFFIC_LIGHT_FACTOR.items()]
    return render(request, "forecasts/help.html", _context(
        request, programme, phases=phases, lights=lights, no_report=assumptions.CHANCE_BY_PHASE[""],
        draws=assumptions.DEFAULT_DRAWS, min_draws=assumptions.MIN_DRAWS, max_draws=assumptions.MAX_DRAWS,
        target_year=programme.target_year or programme.period_end))


def _phase_rows():
    from karki.monitoring.enums import Phase

    return [(phase.value, phase.label) for phase in Phase]


@_unless_unavailable("baskets")
@login_required
def baskets(request, slug: str):
    """The gap at a certainty, what the prepared basket B and C measures would close, and decisions."""
    programme = get_forecast_programme(request, slug)
    version = forecast_version(programme, request.GET.get("version"))
    period = forecast_period(programme, request.GET.get("period"))
    certainty = _int(request.GET.get("certainty")) or assumptions.DEFAULT_CERTAINTY
    if certainty not in assumptions.CERTAINTIES:
        certainty = assumptions.DEFAULT_CERTAINTY
    forecast = figures.forecast(version, period=period)
    decisions = basket_decisions(programme)
    baskets = contingency(version, decisions)
    plan = basket_plan(forecast, certainty=certainty, measures=baskets.offered)
    form = BasketDecisionForm(measures=baskets.offered, initial={"certainty": certainty})
    return render(request, "forecasts/baskets.html", _basket_context(request, programme, version, period, forecast,
                                                                     plan, form, decisions=decisions,
                                                                     prepared=baskets.prepared, done=baskets.done))


def _basket_context(request, programme, version, period, forecast, plan, form, *, decisions, prepared,
                    done) -> dict:
    already = [(m, done[m.code]) for m in prepared if m.code in done]
    return _context(request, programme, version=version, period=period, forecast=forecast, plan=plan, form=form,
                    already_activated=already,
                    certainties=assumptions.CERTAINTIES, decisions=list(reversed(decisions)),
                    latest=latest_decisions(programme, decisions), **_choices(programme))


@_unless_unavailable("baskets")
@login_required
@require_POST
def basket_decision(request, slug: str):
    programme = get_forecast_programme(request, slug, decide_baskets=True)
    version = forecast_version(programme, request.POST.get("version"))
    period = forecast_period(programme, request.POST.get("period"))
    decisions = basket_decisions(programme)
    baskets = contingency(version, decisions)
    measures = baskets.offered
    form = BasketDecisionForm(request.POST, measures=measures)
    forecast = figures.forecast(version, period=period)
    certainty = (form.data.get("certainty") and _int(form.data.get("certainty"))) or assumptions.DEFAULT_CERTAINTY
    if certainty not in assumptions.CERTAINTIES:
        certainty = assumptions.DEFAULT_CERTAINTY
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_basket_decision(
                programme=programme, basket=data["basket"], decision=data["decision"], decided_on=data["decided_on"],
                reasoning=data["reasoning"], language=get_language()[:2], measure_codes=data["measure_codes"],
                certainty=certainty, gap_eur=forecast.gap_at(certainty), probability_pct=forecast.probability_pct,
                by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decision on basket %(basket)s is recorded.") % {"basket": data["basket"]})
            return redirect(reverse("forecasts:baskets", args=[programme.slug]) + f"?certainty={certainty}#decisions")
    plan = basket_plan(forecast, certainty=certainty, measures=measures)
    return render(request, "forecasts/baskets.html", _basket_context(request, programme, version, period, forecast,
                                                                     plan, form, decisions=decisions,
                                                                     prepared=baskets.prepared, done=baskets.done),
                  status=400)

