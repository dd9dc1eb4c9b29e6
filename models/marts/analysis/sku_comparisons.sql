{#-
    Each SKU of a campaign against the rest of the campaign, for the figures
    its verdict and its insights rest on (metrics.md, Comparisons that claim
    a difference: the same rules of significance and minimum size). The
    rest is the campaign's total minus the SKU's, from kpis_by_member: the
    recipients, codes and units that are not the SKU's.

    The tests, each two-sided:
    - defect_rate, return_rate: returned units over delivered units, and
      activation_rate: activated codes over delivered codes, by the pooled
      two-proportion z-test (macros/stats);
    - cpl, at the longest window: leads per unit of money spent. Given the
      campaign's leads L, the SKU's share of them is tested against its
      share p of the campaign's cost (L_sku ~ Binomial(L, p) when the money
      buys leads at the same rate everywhere), by the normal
      approximation z = (L_sku - L p) / sqrt(L p (1 - p)). A lead of a
      recipient who also received another SKU counts in the SKU, and that
      other shipment's cost counts in the rest: an approximation that
      recipients of two SKUs make slightly conservative;
    - nps: the NPS is the mean of +100 (promoter), 0 and -100 (detractor);
      z = (nps - rest nps) / 100 / sqrt(v / n + v_rest / n_rest) with
      v = share of promoters + share of detractors - (their difference)²,
      the variance of one answer.
    The p-values of a campaign's SKUs are adjusted by Benjamini-Hochberg per
    figure. `significant`: q-value at most var significance_level, with at
    least var min_cell_size on both sides (delivered recipients for cpl,
    respondents for nps, delivered codes for activation_rate, delivered
    units for the return rates).
    Grain: one row per campaign, SKU with live shipped units, and figure.
-#}

{%- set long = var('attribution_windows') | max %}
{%- set level = var('significance_level') %}
{%- set min_cell_size = var('min_cell_size') %}

with

members as (

    select * from {{ ref('kpis_by_member') }}

),

skus as (

    select * from members

    where dimension = 'sku' and units_shipped > 0

),

campaigns as (

    select * from members

    where dimension = 'campaign'

),

pairs as (

    select
        skus.campaign_id,
        skus.member as sku,
        skus.delivered_recipients as recipients,
        campaigns.delivered_recipients as campaign_recipients,
        skus.total_cost as cost,
        campaigns.total_cost as campaign_cost,
        skus.leads_{{ long }}d as leads,
        campaigns.leads_{{ long }}d as campaign_leads,
        skus.cpl_{{ long }}d as cpl,
        campaigns.cpl_{{ long }}d as campaign_cpl,
        skus.units_delivered as units,
        campaigns.units_delivered as campaign_units,
        skus.defective_units,
        campaigns.defective_units as campaign_defective_units,
        skus.returned_units,
        campaigns.returned_units as campaign_returned_units,
        skus.delivered_codes as codes,
        campaigns.delivered_codes as campaign_codes,
        skus.activated_codes,
        campaigns.activated_codes as campaign_activated_codes,
        skus.respondents,
        campaigns.respondents as campaign_respondents,
        skus.promoters,
        campaigns.promoters as campaign_promoters,
        skus.detractors,
        campaigns.detractors as campaign_detractors,
        skus.nps,
        campaigns.nps as campaign_nps

    from skus

    inner join campaigns
        on skus.campaign_id = campaigns.campaign_id

),

proportions as (

        -- the figures that are a share: successes and trials, SKU and rest
    {% for metric, successes, trials in [
        ('defect_rate', 'defective_units', 'units'),
        ('return_rate', 'returned_units', 'units'),
        ('activation_rate', 'activated_codes', 'codes'),
    ] %}
        select
            campaign_id,
            sku,
            '{{ metric }}' as metric,
            {{ safe_ratio(successes, trials) }} as value,
            {{ safe_ratio(
                'campaign_' ~ successes ~ ' - ' ~ successes,
                'campaign_' ~ trials ~ ' - ' ~ trials) }} as rest_value,
            {{ safe_ratio('campaign_' ~ successes, 'campaign_' ~ trials) }}
                as campaign_value,
            {{ trials }} as n,
            campaign_{{ trials }} - {{ trials }} as rest_n,
            {{ two_proportion_p_value(
                successes, trials,
                'campaign_' ~ successes ~ ' - ' ~ successes,
                'campaign_' ~ trials ~ ' - ' ~ trials) }} as p_value
        from pairs
        where {{ successes }} is not null
        union all
    {% endfor %}

    select
        campaign_id,
        sku,
        'cpl' as metric,
        cpl as value,
        {{ safe_ratio('campaign_cost - cost', 'campaign_leads - leads') }}
            as rest_value,
        campaign_cpl as campaign_value,
        recipients as n,
        campaign_recipients - recipients as rest_n,
        case
            when campaign_leads > 0 and cost > 0 and cost < campaign_cost
                then 2 * {{ normal_tail_abs(
                    '(leads - campaign_leads * (cost / campaign_cost))'
                    ~ ' / sqrt(campaign_leads * (cost / campaign_cost)'
                    ~ ' * (1 - cost / campaign_cost))'
                ) }}
        end as p_value
    from pairs
    where leads is not null

),

nps_variances as (

    select
        *,
        {{ safe_ratio('promoters', 'respondents') }} as promoter_share,
        {{ safe_ratio('detractors', 'respondents') }} as detractor_share,
        {{ safe_ratio(
            'campaign_promoters - promoters',
            'campaign_respondents - respondents') }} as rest_promoter_share,
        {{ safe_ratio(
            'campaign_detractors - detractors',
            'campaign_respondents - respondents') }} as rest_detractor_share

    from pairs

    where respondents is not null

),

nps_tests as (

    select
        campaign_id,
        sku,
        'nps' as metric,
        nps as value,
        100 * (rest_promoter_share - rest_detractor_share) as rest_value,
        campaign_nps as campaign_value,
        respondents as n,
        campaign_respondents - respondents as rest_n,
        promoter_share - detractor_share
        - (rest_promoter_share - rest_detractor_share) as difference,
        -- greatest(0, ...): a variance that rounding takes below zero would
        -- stop PostgreSQL's sqrt
        sqrt(
            greatest(
                promoter_share + detractor_share
                - (promoter_share - detractor_share)
                * (promoter_share - detractor_share),
                0
            ) / nullif(respondents, 0)
            + greatest(
                rest_promoter_share + rest_detractor_share
                - (rest_promoter_share - rest_detractor_share)
                * (rest_promoter_share - rest_detractor_share),
                0
            ) / nullif(campaign_respondents - respondents, 0)
        ) as standard_error

    from nps_variances

),

tests as (

    select * from proportions

    union all

    select
        campaign_id,
        sku,
        metric,
        value,
        rest_value,
        campaign_value,
        n,
        rest_n,
        -- no variance on either side (every answer the same): no evidence
        case
            when n > 0 and rest_n > 0 and standard_error = 0
                then cast(1 as {{ double_type() }})
            when standard_error > 0
                then 2 * {{ normal_tail_abs('difference / standard_error') }}
        end as p_value
    from nps_tests

),

scaled as (

    select
        *,
        {{ benjamini_hochberg_scaled('p_value', ['campaign_id', 'metric']) }}
            as bh_scaled

    from tests

),

adjusted as (

    select
        *,
        {{ benjamini_hochberg('p_value', ['campaign_id', 'metric']) }}
            as q_value

    from scaled

),

final as (

    select
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(sku as {{ dbt.type_string() }}) as sku,
        cast(metric as {{ dbt.type_string() }}) as metric,
        cast(value as {{ double_type() }}) as value,
        cast(rest_value as {{ double_type() }}) as rest_value,
        cast(campaign_value as {{ double_type() }}) as campaign_value,
        cast(n as bigint) as n,
        cast(rest_n as bigint) as rest_n,
        cast(p_value as {{ double_type() }}) as p_value,
        cast(q_value as {{ double_type() }}) as q_value,
        coalesce(
            q_value <= {{ level }}
            and n >= {{ min_cell_size }}
            and rest_n >= {{ min_cell_size }},
            false
        ) as significant,
        cast(
            case
                when value > rest_value then 'higher'
                when value < rest_value then 'lower'
            end as {{ dbt.type_string() }}
        ) as direction

    from adjusted

)

select * from final
