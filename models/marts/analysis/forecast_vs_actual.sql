{#-
    Forecast against actual (metrics.md): per campaign, SKU and channel,
    units (units_shipped), cost (total_cost), leads and conversions (within
    the longest attribution window), each as actual, forecast, actual minus
    forecast and actual / forecast - 1. The pairs are the union of the
    campaign's forecast rows and its SKU-channel pairs with live shipped
    units. A forecast that is null or zero has no relative variance.
    Grain: one row per campaign, SKU, channel and measure.
-#}

{% set long = var('attribution_windows') | max %}

with

forecast as (

    select * from {{ ref('int_forecast__checked') }}

    where is_kept

),

forecast_present as (

    -- without a forecast table there is nothing to compare
    select table_name from {{ ref('stg_raw_input__raw_table_inventory') }}

    where table_name = 'forecast' and is_present

),

pairs_actual as (

    select * from {{ ref('kpis_by_member') }}

    where dimension = 'sku_channel'

),

-- whether the campaign has lead and conversion figures at all (their
-- tables may be absent): a pair without any then has 0, not null
campaign_actual as (

    select * from {{ ref('kpis_by_member') }}

    where dimension = 'campaign'

),

shipped_pairs as (

    select
        campaign_id,
        member as sku,
        member_channel as channel
    from pairs_actual
    where units_shipped > 0

    union

    select
        campaign_id,
        sku,
        channel
    from forecast

),

compared as (

    select
        shipped_pairs.campaign_id,
        shipped_pairs.sku,
        shipped_pairs.channel,
        coalesce(pairs_actual.units_shipped, 0) as actual_units,
        coalesce(pairs_actual.total_cost, 0) as actual_cost,
        case
            when campaign_actual.leads_{{ long }}d is not null
                then coalesce(pairs_actual.leads_{{ long }}d, 0)
        end as actual_leads,
        case
            when campaign_actual.conversions_{{ long }}d is not null
                then coalesce(pairs_actual.conversions_{{ long }}d, 0)
        end as actual_conversions,
        forecast.forecast_units,
        forecast.forecast_cost,
        forecast.forecast_leads,
        forecast.forecast_conversions

    from shipped_pairs

    left join pairs_actual
        on
            shipped_pairs.campaign_id = pairs_actual.campaign_id
            and shipped_pairs.sku = pairs_actual.member
            and shipped_pairs.channel = pairs_actual.member_channel

    left join campaign_actual
        on shipped_pairs.campaign_id = campaign_actual.campaign_id

    left join forecast
        on
            shipped_pairs.campaign_id = forecast.campaign_id
            and shipped_pairs.sku = forecast.sku
            and shipped_pairs.channel = forecast.channel

),

measures as (

    {% for measure in ['units', 'cost', 'leads', 'conversions'] %}
        select
            campaign_id,
            sku,
            channel,
            '{{ measure }}' as measure,
            cast(actual_{{ measure }} as {{ double_type() }}) as actual,
            cast(forecast_{{ measure }} as {{ double_type() }}) as forecast
        from compared
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        measures.campaign_id,
        measures.sku,
        measures.channel,
        measures.measure,
        measures.actual,
        measures.forecast,
        measures.actual - measures.forecast as variance,
        {{ safe_ratio('measures.actual', 'measures.forecast') }} - 1
            as relative_variance

    from measures

    cross join forecast_present

)

select * from final
