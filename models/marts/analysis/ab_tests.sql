{#-
    The A/B test of metrics.md (Comparisons that claim a difference): the
    delivered non-holdout recipients of a campaign by variant (a null
    variant is no group), each variant other than the reference compared
    with it. The reference is the first variant in byte order (collate "C",
    byte-wise on DuckDB and PostgreSQL alike).
    Metrics: activation_rate (n: the variant's delivered codes, the codes
    of delivered shipments to its delivered recipients), lead_rate_<W>d
    and conversion_rate_<W>d for the longest window W of var
    attribution_windows (n: its delivered recipients; successes: those
    with at least one attributed lead, or conversion, within W).
    A metric whose optional table is absent has no rows; so has a campaign
    with fewer than two variants. A rate, interval or p-value with nothing
    to divide by is null (macros/stats); a pooled rate of 0 or 1 gives a
    p-value of 1 (no evidence of a difference).
    Grain: one row per campaign, metric and non-reference variant.
-#}

{%- set long = var('attribution_windows') | max %}
{%- set level = var('significance_level') %}

with

recipients as (

    select
        recipient_id,
        campaign_id,
        variant,
        is_delivered_recipient

    from {{ ref('int_recipients__delivered') }}

    where not is_holdout and variant is not null

),

codes as (

    select
        campaign_id,
        recipient_id,
        is_activated

    from {{ ref('fct_codes') }}

    where is_delivered_code

),

leads as (

    select
        campaign_id,
        recipient_id,
        conversions

    from {{ ref('fct_leads') }}

    where window_days = {{ long }}

),

campaign_timing as (

    select
        campaign_id,
        days_since_end

    from {{ ref('campaign_timing') }}

),

inventory as (

    select
        table_name,
        is_present

    from {{ ref('stg_raw_input__raw_table_inventory') }}

),

present as (

    {{ tables_present(
        'inventory', ['codes', 'code_events', 'leads', 'opportunities']
    ) }}

),

distinct_variants as (

    select distinct
        campaign_id,
        variant

    from recipients

),

variants as (

    -- variant_order 1 is the reference: the first variant in byte order
    select
        campaign_id,
        variant,
        row_number() over (
            partition by campaign_id
            order by {{ in_byte_order('variant') }}
        ) as variant_order,
        count(*) over (partition by campaign_id) as variant_count

    from distinct_variants

),

code_totals as (

    select
        recipients.campaign_id,
        recipients.variant,
        count(*) as delivered_codes,
        count(*) filter (where codes.is_activated) as activated_codes

    from recipients

    inner join codes
        on
            recipients.recipient_id = codes.recipient_id
            and recipients.campaign_id = codes.campaign_id

    where recipients.is_delivered_recipient

    group by 1, 2

),

lead_recipients as (

    select
        campaign_id,
        recipient_id,
        count(*) filter (where conversions > 0) > 0 as has_conversion

    from leads

    group by 1, 2

),

recipient_totals as (

    select
        recipients.campaign_id,
        recipients.variant,
        count(*) as delivered_recipients,
        count(lead_recipients.recipient_id) as recipients_with_lead,
        count(*) filter (
            where lead_recipients.has_conversion
        ) as recipients_with_conversion

    from recipients

    left join lead_recipients
        on
            recipients.recipient_id = lead_recipients.recipient_id
            and recipients.campaign_id = lead_recipients.campaign_id

    where recipients.is_delivered_recipient

    group by 1, 2

),

metric_counts as (

    select
        variants.campaign_id,
        variants.variant,
        variants.variant_order,
        'activation_rate' as metric,
        coalesce(code_totals.delivered_codes, 0) as n,
        coalesce(code_totals.activated_codes, 0) as successes

    from variants

    cross join present

    left join code_totals
        on
            variants.campaign_id = code_totals.campaign_id
            and variants.variant = code_totals.variant

    where
        variants.variant_count >= 2
        and present.has_codes
        and present.has_code_events

    union all

    select
        variants.campaign_id,
        variants.variant,
        variants.variant_order,
        'lead_rate_{{ long }}d' as metric,
        coalesce(recipient_totals.delivered_recipients, 0) as n,
        coalesce(recipient_totals.recipients_with_lead, 0) as successes

    from variants

    cross join present

    left join recipient_totals
        on
            variants.campaign_id = recipient_totals.campaign_id
            and variants.variant = recipient_totals.variant

    where variants.variant_count >= 2 and present.has_leads

    union all

    select
        variants.campaign_id,
        variants.variant,
        variants.variant_order,
        'conversion_rate_{{ long }}d' as metric,
        coalesce(recipient_totals.delivered_recipients, 0) as n,
        coalesce(recipient_totals.recipients_with_conversion, 0)
            as successes

    from variants

    cross join present

    left join recipient_totals
        on
            variants.campaign_id = recipient_totals.campaign_id
            and variants.variant = recipient_totals.variant

    where
        variants.variant_count >= 2
        and present.has_leads
        and present.has_opportunities

),

pairs as (

    select
        tested.campaign_id,
        tested.metric,
        tested.variant,
        reference.variant as reference,
        cast(tested.n as bigint) as n,
        cast(reference.n as bigint) as reference_n,
        cast(tested.successes as bigint) as successes,
        cast(reference.successes as bigint) as reference_successes

    from metric_counts as tested

    inner join metric_counts as reference
        on
            tested.campaign_id = reference.campaign_id
            and tested.metric = reference.metric
            and reference.variant_order = 1

    where tested.variant_order > 1

),

statistics as (

    select
        pairs.campaign_id,
        pairs.metric,
        pairs.variant,
        pairs.reference,
        pairs.n,
        pairs.reference_n,
        pairs.successes,
        pairs.reference_successes,
        {{ safe_ratio('pairs.successes', 'pairs.n') }} as rate,
        {{ wilson_low('pairs.successes', 'pairs.n') }} as rate_ci_low,
        {{ wilson_high('pairs.successes', 'pairs.n') }} as rate_ci_high,
        {{ safe_ratio('pairs.reference_successes', 'pairs.reference_n') }}
            as reference_rate,
        {{ newcombe_low(
            'pairs.successes', 'pairs.n',
            'pairs.reference_successes', 'pairs.reference_n') }} as ci_low,
        {{ newcombe_high(
            'pairs.successes', 'pairs.n',
            'pairs.reference_successes', 'pairs.reference_n') }} as ci_high,
        {{ two_proportion_p_value(
            'pairs.successes', 'pairs.n',
            'pairs.reference_successes', 'pairs.reference_n') }} as p_value,
        case
            when pairs.metric = 'activation_rate'
                then campaign_timing.days_since_end >= 0
            else campaign_timing.days_since_end >= {{ long }}
        end as is_final

    from pairs

    left join campaign_timing
        on pairs.campaign_id = campaign_timing.campaign_id

),

final as (

    select
        campaign_id,
        metric,
        variant,
        reference,
        n,
        reference_n,
        successes,
        reference_successes,
        cast(rate as {{ double_type() }}) as rate,
        cast(rate_ci_low as {{ double_type() }}) as rate_ci_low,
        cast(rate_ci_high as {{ double_type() }}) as rate_ci_high,
        cast(reference_rate as {{ double_type() }}) as reference_rate,
        cast(rate - reference_rate as {{ double_type() }}) as difference,
        cast(ci_low as {{ double_type() }}) as ci_low,
        cast(ci_high as {{ double_type() }}) as ci_high,
        cast(p_value as {{ double_type() }}) as p_value,
        coalesce(p_value <= {{ level }}, false) as significant,
        coalesce(is_final, false) as final  -- noqa: RF04

    from statistics

)

select * from final
