{#-
    A revised forecast for the next campaign (metrics.md): per SKU and
    channel with live shipped units, the units to plan (this campaign's
    units_shipped) and the leads, conversions and cost to expect per unit at
    the rates this campaign observed (leads and conversions within the
    longest attribution window).
    Grain: one row per campaign, SKU and channel.
-#}

{% set long = var('attribution_windows') | max %}

with

pairs as (

    select * from {{ ref('kpis_by_member') }}

    where dimension = 'sku_channel' and units_shipped > 0

),

final as (

    select
        campaign_id,
        member as sku,
        member_channel as channel,
        units_shipped as units,
        {{ safe_ratio('leads_' ~ long ~ 'd', 'units_shipped') }}
            as leads_per_unit,
        {{ safe_ratio('conversions_' ~ long ~ 'd', 'units_shipped') }}
            as conversions_per_unit,
        {{ safe_ratio('total_cost', 'units_shipped') }} as cost_per_unit

    from pairs

)

select * from final
