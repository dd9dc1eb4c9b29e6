{#-
    Insight candidates (metrics.md, Verdicts, insights and actions): the
    findings of every analysis, one row each, with the figure, the baseline
    it is compared to, its significance where it claims a difference, and its
    impact in the campaign's currency. The sentences that say them are
    written in the report's templates from these columns, so that the
    report can speak more than one language.

    Kinds, and how their impact is computed (W: the longest attribution
    window; a lead is valued at the campaign's cpl_W, a conversion at its
    revenue_W per conversion, an activated code at its total cost per
    activated code):
    - sku_verdict: a `retire` or `focus` verdict of sku_verdicts whose
      deciding figure (the first of cpl, defect_rate, activation_rate, nps
      its rule names) differs significantly from the rest of the campaign
      (sku_comparisons); a verdict without that support is no insight.
      Retire: the larger of the SKU's spend above what its leads would have
      cost at the campaign's CPL and the cost of its defective units (units
      × the SKU's cost per delivered unit). Focus: what its leads saved
      against the campaign's CPL.
    - segment_sku: a segment x SKU finding (segment_findings); leads gained
      or lost in the cell, n × |rate − rest rate|, valued as leads.
    - ab_variant: a significant A/B difference with at least min_cell_size
      on each side (ab_tests); the subject is the better variant, and the
      impact what the worse one's recipients would have brought at the
      better rate, n_worse × |difference|, valued per metric.
    - holdout_lift (the lift at W is significant) or no_holdout_lift (it is
      not, or a group is below min_cell_size): the spend on leads that
      would have come anyway, total_cost × (1 − incremental leads /
      leads_W), the incremental share taken as 0 without a proven lift.
    - supplier_on_time, supplier_lead_time: a breached delivery target;
      the cost (items and logistics) of the supplier's shipments delivered
      later than its max_lead_time_days. supplier_defect: a breached defect
      rate; the cost of its defective units.
    - forecast_miss: a SKU's units shipped off its forecast by at least var
      forecast_miss_threshold (as a fraction); |actual − forecast| units ×
      its unit cost.
    - sku_defect_rate, sku_return_rate: a SKU whose rate is significantly
      above the rest of the campaign's; its units returned beyond the rest's
      rate, × its cost per delivered unit. sku_nps: a SKU whose NPS differs
      significantly; its spend × |NPS − rest NPS| / 200, the share of the
      scale (200 points) the gap spans.
    - budget_overrun: total cost above budget; the overrun.
    - tracking_gap: a tracking_share below var thin_tracking_share; the
      spend on leads no code tracked, (1 − tracking_share) × total_cost.
    - immature_conversions: the W-day window still open at as_of (value:
      conversions so far); late_conversions: the window closed with
      conversions between the shortest and the longest window (value: how
      many). These two are the clock speaking, not a finding a choice made:
      their impact is null, so they rank after every finding (the money of
      conversions still to come is not known yet).

    `claims_difference` is true for the kinds that rest on a significance
    test (sku_verdict, segment_sku, ab_variant, holdout_lift and the sku_*
    kinds), and only such rows carry a p-value. `is_final` is false while
    the figure's window is still open.
    The mart insights ranks them.
    Grain: one row per campaign, kind, subject, segment and metric.
-#}

{%- set windows = var('attribution_windows') %}
{%- set long = windows | max %}
{%- set short = windows | min %}
{%- set level = var('significance_level') %}
{%- set min_cell_size = var('min_cell_size') %}

with

campaigns as (

    select
        kpis.campaign_id,
        kpis.total_cost,
        kpis.budget_variance,
        kpis.leads_{{ long }}d as leads,
        kpis.cpl_{{ long }}d as lead_value,
        {{ safe_ratio(
            'kpis.revenue_' ~ long ~ 'd', 'kpis.conversions_' ~ long ~ 'd')
        }} as conversion_value,
        {{ safe_ratio('kpis.total_cost', 'counts.activated_codes') }}
            as activation_value,
        kpis.conversions_{{ long }}d as conversions,
        kpis.conversions_{{ short }}d as short_conversions,
        kpis.late_conversions,
        kpis.tracking_share,
        clock.days_since_end,
        dim.budget

    from {{ ref('campaign_kpis') }} as kpis

    inner join {{ ref('campaign_timing') }} as clock
        on kpis.campaign_id = clock.campaign_id

    inner join {{ ref('dim_campaigns') }} as dim
        on kpis.campaign_id = dim.campaign_id

    -- the activated codes kpis_by_member counts behind activation_rate
    inner join {{ ref('kpis_by_member') }} as counts
        on
            kpis.campaign_id = counts.campaign_id
            and counts.dimension = 'campaign'

),

skus as (

    select
        campaign_id,
        sku,
        total_cost,
        leads_{{ long }}d as leads,
        units_delivered,
        {{ safe_ratio('total_cost', 'units_delivered') }}
            as cost_per_delivered_unit

    from {{ ref('kpis_by_sku') }}

),

comparisons as (

    select * from {{ ref('sku_comparisons') }}

),

verdict_metrics as (

    -- the figure a rule is decided by: the first it names in this order
    select
        rule,
        min(
            case metric
                when 'cpl' then 1
                when 'defect_rate' then 2
                when 'activation_rate' then 3
                when 'nps' then 4
            end
        ) as metric_order

    from {{ ref('sku_verdict_thresholds') }}

    group by 1

),

sku_verdicts as (

    select
        verdicts.campaign_id,
        verdicts.sku,
        verdicts.verdict,
        case verdict_metrics.metric_order
            when 1 then 'cpl'
            when 2 then 'defect_rate'
            when 3 then 'activation_rate'
            when 4 then 'nps'
        end as metric

    from {{ ref('sku_verdicts') }} as verdicts

    inner join verdict_metrics
        on verdicts.decided_by = verdict_metrics.rule

    where verdicts.verdict in ('retire', 'focus')

),

defective_units as (

    select
        campaign_id,
        sku,
        n * value as units

    from comparisons

    where metric = 'defect_rate'

),

verdict_insights as (

    select
        sku_verdicts.campaign_id,
        'sku_verdict' as kind,
        'sku' as subject_dimension,
        sku_verdicts.sku as subject,
        cast(null as {{ dbt.type_string() }}) as segment,
        sku_verdicts.metric,
        sku_verdicts.verdict as detail,
        comparisons.value,
        comparisons.campaign_value as baseline,
        'campaign' as baseline_kind,
        comparisons.direction,
        comparisons.n,
        comparisons.p_value,
        comparisons.q_value,
        true as claims_difference,
        true as is_final,
        case
            when sku_verdicts.verdict = 'retire'
                then greatest(
                    coalesce(
                        skus.total_cost
                        - skus.leads * campaigns.lead_value, 0
                    ),
                    coalesce(
                        defective_units.units * skus.cost_per_delivered_unit,
                        0
                    ),
                    0
                )
            else greatest(
                (campaigns.lead_value - comparisons.value) * skus.leads, 0
            )
        end as impact

    from sku_verdicts

    inner join comparisons
        on
            sku_verdicts.campaign_id = comparisons.campaign_id
            and sku_verdicts.sku = comparisons.sku
            and sku_verdicts.metric = comparisons.metric

    inner join skus
        on
            sku_verdicts.campaign_id = skus.campaign_id
            and sku_verdicts.sku = skus.sku

    inner join campaigns
        on sku_verdicts.campaign_id = campaigns.campaign_id

    left join defective_units
        on
            sku_verdicts.campaign_id = defective_units.campaign_id
            and sku_verdicts.sku = defective_units.sku

    where comparisons.significant

),

segment_insights as (

    select
        findings.campaign_id,
        'segment_sku' as kind,
        'segment_sku' as subject_dimension,
        findings.sku as subject,
        findings.segment,
        'lead_rate_{{ long }}d' as metric,
        cast(null as {{ dbt.type_string() }}) as detail,
        findings.rate as value,
        findings.rest_rate as baseline,
        'rest_of_segment' as baseline_kind,
        case
            when findings.rate > findings.rest_rate then 'higher'
            else 'lower'
        end as direction,
        findings.n,
        findings.p_value,
        findings.q_value,
        true as claims_difference,
        campaigns.days_since_end >= {{ long }} as is_final,
        findings.n * abs(findings.rate - findings.rest_rate)
        * campaigns.lead_value as impact

    from {{ ref('segment_findings') }} as findings

    inner join campaigns
        on findings.campaign_id = campaigns.campaign_id

    where findings.finding

),

ab_insights as (

    select
        tests.campaign_id,
        'ab_variant' as kind,
        'variant' as subject_dimension,
        case
            when tests.difference > 0 then tests.variant
            else tests.reference
        end as subject,
        cast(null as {{ dbt.type_string() }}) as segment,
        tests.metric,
        case
            when tests.difference > 0 then tests.reference
            else tests.variant
        end as detail,
        greatest(tests.rate, tests.reference_rate) as value,
        least(tests.rate, tests.reference_rate) as baseline,
        'other_variant' as baseline_kind,
        'higher' as direction,
        case
            when tests.difference > 0 then tests.n
            else tests.reference_n
        end as n,
        tests.p_value,
        cast(null as {{ double_type() }}) as q_value,
        true as claims_difference,
        tests.final as is_final,
        abs(tests.difference)
        * case
            when tests.difference > 0 then tests.reference_n
            else tests.n
        end
        * case tests.metric
            when 'activation_rate' then campaigns.activation_value
            when 'conversion_rate_{{ long }}d'
                then campaigns.conversion_value
            else campaigns.lead_value
        end as impact

    from {{ ref('ab_tests') }} as tests

    inner join campaigns
        on tests.campaign_id = campaigns.campaign_id

    where
        tests.significant
        and tests.n >= {{ min_cell_size }}
        and tests.reference_n >= {{ min_cell_size }}

),

holdout_counts as (

    -- the recipients with a lead in each group, back from the rates
    select
        *,
        round(sent_rate * sent_n) as sent_leads,
        round(holdout_rate * holdout_n) as holdout_leads

    from {{ ref('incrementality') }}

    where
        window_days = {{ long }}
        and holdout_n > 0
        and sent_n > 0

),

holdout as (

    select
        *,
        {{ two_proportion_p_value(
            'sent_leads', 'sent_n', 'holdout_leads', 'holdout_n') }} as p_value

    from holdout_counts

),

holdout_tested as (

    select
        *,
        coalesce(
            p_value <= {{ level }}
            and lift > 0
            and sent_n >= {{ min_cell_size }}
            and holdout_n >= {{ min_cell_size }},
            false
        ) as is_proven

    from holdout

),

holdout_insights as (

    select
        holdout_tested.campaign_id,
        case
            when holdout_tested.is_proven then 'holdout_lift'
            else 'no_holdout_lift'
        end as kind,
        'campaign' as subject_dimension,
        holdout_tested.campaign_id as subject,
        cast(null as {{ dbt.type_string() }}) as segment,
        'incremental_lift_{{ long }}d' as metric,
        cast(null as {{ dbt.type_string() }}) as detail,
        holdout_tested.sent_rate as value,
        holdout_tested.holdout_rate as baseline,
        'holdout' as baseline_kind,
        case
            when holdout_tested.lift > 0 then 'higher'
            when holdout_tested.lift < 0 then 'lower'
        end as direction,
        holdout_tested.holdout_n as n,
        holdout_tested.p_value,
        cast(null as {{ double_type() }}) as q_value,
        holdout_tested.is_proven as claims_difference,
        campaigns.days_since_end >= {{ long }} as is_final,
        campaigns.total_cost * (
            1 - case
                when holdout_tested.is_proven
                    then least(
                        1,
                        {{ safe_ratio(
                            'holdout_tested.incremental_leads',
                            'campaigns.leads') }}
                    )
                else 0
            end
        ) as impact

    from holdout_tested

    inner join campaigns
        on holdout_tested.campaign_id = campaigns.campaign_id

),

shipments as (

    select * from {{ ref('fct_shipments') }}

    where is_live and is_delivered

),

suppliers as (

    select * from {{ ref('supplier_scorecard') }}

),

supplier_costs as (

    -- cost of each supplier's delivered shipments, and of the late ones
    select
        shipments.campaign_id,
        shipments.supplier,
        sum(shipments.item_cost + shipments.logistics_cost) as cost,
        sum(
            case
                when
                    cast(
                        {{ dbt.datediff(
                            'shipments.ordered_at', 'shipments.delivered_at',
                            'microsecond') }}
                        as {{ double_type() }}
                    ) / 86400000000 > suppliers.max_lead_time_days
                    then shipments.item_cost + shipments.logistics_cost
                else 0
            end
        ) as late_cost

    from shipments

    inner join suppliers
        on
            shipments.campaign_id = suppliers.campaign_id
            and shipments.supplier = suppliers.supplier

    group by 1, 2

),

supplier_insights as (

    {% for breach, metric, target, impact in [
        ('on_time', 'on_time_rate', 'on_time_target', 'late_cost'),
        ('lead_time', 'median_lead_time_days', 'max_lead_time_days',
            'late_cost'),
        ('defect', 'defect_rate', 'max_defect_rate',
            'suppliers.defect_units * ' ~ safe_ratio(
                'supplier_costs.cost', 'suppliers.units_delivered')),
    ] %}
        select
            suppliers.campaign_id,
            'supplier_{{ breach }}' as kind,
            'supplier' as subject_dimension,
            suppliers.supplier as subject,
            cast(null as {{ dbt.type_string() }}) as segment,
            '{{ metric }}' as metric,
            cast(null as {{ dbt.type_string() }}) as detail,
            cast(suppliers.{{ metric }} as {{ double_type() }}) as value,
            cast(suppliers.{{ target }} as {{ double_type() }}) as baseline,
            'target' as baseline_kind,
            case
                when suppliers.{{ metric }} > suppliers.{{ target }}
                    then 'higher'
                else 'lower'
            end as direction,
            suppliers.delivered_shipments as n,
            cast(null as {{ double_type() }}) as p_value,
            cast(null as {{ double_type() }}) as q_value,
            false as claims_difference,
            true as is_final,
            coalesce({{ impact }}, 0) as impact
        from suppliers
        left join supplier_costs
            on
                suppliers.campaign_id = supplier_costs.campaign_id
                and suppliers.supplier = supplier_costs.supplier
        where suppliers.is_{{ breach }}_breached
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

sku_units_forecast as (

    select
        forecast.campaign_id,
        forecast.sku,
        sum(forecast.actual) as actual,
        sum(forecast.forecast) as forecast

    from {{ ref('forecast_vs_actual') }} as forecast

    where forecast.measure = 'units' and forecast.forecast is not null

    group by 1, 2

),

unit_costs as (

    select
        sku,
        unit_cost

    from {{ ref('int_skus__checked') }}

    where is_kept

),

forecast_insights as (

    select
        sku_units_forecast.campaign_id,
        'forecast_miss' as kind,
        'sku' as subject_dimension,
        sku_units_forecast.sku as subject,
        cast(null as {{ dbt.type_string() }}) as segment,
        'units_shipped' as metric,
        cast(null as {{ dbt.type_string() }}) as detail,
        sku_units_forecast.actual as value,
        sku_units_forecast.forecast as baseline,
        'forecast' as baseline_kind,
        case
            when sku_units_forecast.actual > sku_units_forecast.forecast
                then 'higher'
            else 'lower'
        end as direction,
        cast(null as bigint) as n,
        cast(null as {{ double_type() }}) as p_value,
        cast(null as {{ double_type() }}) as q_value,
        false as claims_difference,
        true as is_final,
        abs(sku_units_forecast.actual - sku_units_forecast.forecast)
        * unit_costs.unit_cost as impact

    from sku_units_forecast

    inner join unit_costs
        on sku_units_forecast.sku = unit_costs.sku

    where
        sku_units_forecast.forecast > 0
        and abs(
            sku_units_forecast.actual / sku_units_forecast.forecast - 1
        ) >= {{ var('forecast_miss_threshold') }}

),

quality_insights as (

    select
        comparisons.campaign_id,
        'sku_' || comparisons.metric as kind,
        'sku' as subject_dimension,
        comparisons.sku as subject,
        cast(null as {{ dbt.type_string() }}) as segment,
        comparisons.metric,
        cast(null as {{ dbt.type_string() }}) as detail,
        comparisons.value,
        comparisons.rest_value as baseline,
        'rest_of_campaign' as baseline_kind,
        comparisons.direction,
        comparisons.n,
        comparisons.p_value,
        comparisons.q_value,
        true as claims_difference,
        true as is_final,
        case
            when comparisons.metric = 'nps'
                then
                    skus.total_cost
                    * abs(comparisons.value - comparisons.rest_value) / 200
            else
                (comparisons.value - comparisons.rest_value)
                * comparisons.n * skus.cost_per_delivered_unit
        end as impact

    from comparisons

    inner join skus
        on
            comparisons.campaign_id = skus.campaign_id
            and comparisons.sku = skus.sku

    where
        comparisons.significant
        and (
            comparisons.metric = 'nps'
            or (
                comparisons.metric in ('defect_rate', 'return_rate')
                and comparisons.direction = 'higher'
            )
        )

),

campaign_insights as (

    select
        campaign_id,
        'budget_overrun' as kind,
        'campaign' as subject_dimension,
        campaign_id as subject,
        cast(null as {{ dbt.type_string() }}) as segment,
        'total_cost' as metric,
        cast(null as {{ dbt.type_string() }}) as detail,
        cast(total_cost as {{ double_type() }}) as value,
        cast(budget as {{ double_type() }}) as baseline,
        'budget' as baseline_kind,
        'higher' as direction,
        cast(null as bigint) as n,
        cast(null as {{ double_type() }}) as p_value,
        cast(null as {{ double_type() }}) as q_value,
        false as claims_difference,
        true as is_final,
        cast(budget_variance as {{ double_type() }}) as impact
    from campaigns
    where budget_variance > 0

    union all

    select
        campaign_id,
        'tracking_gap' as kind,
        'campaign' as subject_dimension,
        campaign_id as subject,
        null as segment,
        'tracking_share' as metric,
        null as detail,
        tracking_share as value,
        {{ var('thin_tracking_share') }} as baseline,
        'threshold' as baseline_kind,
        'lower' as direction,
        leads as n,
        null as p_value,
        null as q_value,
        false as claims_difference,
        days_since_end >= {{ long }} as is_final,
        (1 - tracking_share) * total_cost as impact
    from campaigns
    where tracking_share < {{ var('thin_tracking_share') }}

    union all

    select
        campaign_id,
        'immature_conversions' as kind,
        'campaign' as subject_dimension,
        campaign_id as subject,
        null as segment,
        'conversions_{{ long }}d' as metric,
        null as detail,
        conversions as value,
        short_conversions as baseline,
        'shortest_window' as baseline_kind,
        null as direction,
        null as n,
        null as p_value,
        null as q_value,
        false as claims_difference,
        false as is_final,
        null as impact
    from campaigns
    where days_since_end < {{ long }} and conversions is not null

    union all

    select
        campaign_id,
        'late_conversions' as kind,
        'campaign' as subject_dimension,
        campaign_id as subject,
        null as segment,
        'late_conversions' as metric,
        null as detail,
        late_conversions as value,
        short_conversions as baseline,
        'shortest_window' as baseline_kind,
        'higher' as direction,
        null as n,
        null as p_value,
        null as q_value,
        false as claims_difference,
        true as is_final,
        null as impact
    from campaigns
    where days_since_end >= {{ long }} and late_conversions > 0

),

candidates as (

    {% for part in [
        'verdict_insights', 'segment_insights', 'ab_insights',
        'holdout_insights', 'supplier_insights', 'forecast_insights',
        'quality_insights', 'campaign_insights',
    ] %}
        select
            campaign_id,
            kind,
            subject_dimension,
            subject,
            segment,
            metric,
            detail,
            cast(value as {{ double_type() }}) as value,
            cast(baseline as {{ double_type() }}) as baseline,
            baseline_kind,
            direction,
            cast(n as bigint) as n,
            cast(p_value as {{ double_type() }}) as p_value,
            cast(q_value as {{ double_type() }}) as q_value,
            claims_difference,
            is_final,
            cast(impact as {{ double_type() }}) as impact
        from {{ part }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from candidates
