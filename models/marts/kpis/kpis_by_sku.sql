{#-
    The headline figures of each campaign per sku, by the same definitions
    as the campaign's (see kpis_by_member and metrics.md, Breakdowns).
    Grain: one row per campaign and sku.
-#}

with

members as (

    select * from {{ ref('kpis_by_member') }}

    where dimension = 'sku'

),

final as (

    select
        campaign_id,
        member as sku,
        {{ kpi_columns('member') | join(',\n        ') }}

    from members

)

select * from final
