{#-
    The headline figures of each campaign per channel, by the same definitions
    as the campaign's (see kpis_by_member and metrics.md, Breakdowns).
    Grain: one row per campaign and channel.
-#}

with

members as (

    select * from {{ ref('kpis_by_member') }}

    where dimension = 'channel'

),

final as (

    select
        campaign_id,
        member as channel,
        {{ kpi_columns('member') | join(',\n        ') }}

    from members

)

select * from final
