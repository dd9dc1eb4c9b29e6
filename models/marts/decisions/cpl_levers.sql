{#-
    The three CPL levers a marketer asks about, per campaign, at the
    longest attribution window W, as one figure per row:
    - object_choice: CPL and qualified CPL of utility against visibility
      items and of premium against standard ones (dimensions positioning
      and tier of kpis_by_member: a recipient counts in each group of which
      they received a delivered item);
    - tracking_precision: unit_code_share, the share of units shipped on a
      shipment that carries at least one code (null without codes), and
      tracking_share, the code-tracked share of leads;
    - targeting: CPL and qualified CPL by segment, and
      premium_share_of_qualified_leads, the share of the campaign's
      qualified leads whose recipient received a premium item.
    `baseline` is the campaign's own figure. These are descriptions, not
    tests: a difference between two rows is claimed only by an insight.
    Grain: one row per campaign, lever, dimension, member and metric.
-#}

{%- set long = var('attribution_windows') | max %}

with

members as (

    select * from {{ ref('kpis_by_member') }}

),

campaigns as (

    select * from members

    where dimension = 'campaign'

),

inventory as (

    select
        table_name,
        is_present

    from {{ ref('stg_raw_input__raw_table_inventory') }}

),

present as (

    {{ tables_present('inventory', ['codes']) }}

),

coded_shipments as (

    select distinct shipment_id

    from {{ ref('fct_codes') }}

),

unit_codes as (

    select
        shipments.campaign_id,
        {{ safe_ratio(
            'sum(case when coded_shipments.shipment_id is not null'
            ~ ' then shipments.units_shipped else 0 end)',
            'sum(shipments.units_shipped)') }} as unit_code_share

    from {{ ref('fct_shipments') }} as shipments

    left join coded_shipments
        on shipments.shipment_id = coded_shipments.shipment_id

    group by 1

),

group_figures as (

    {% for lever, dimension in [
        ('object_choice', 'positioning'),
        ('object_choice', 'tier'),
        ('targeting', 'segment'),
    ] %}
        {% for metric in ['cpl', 'qualified_cpl'] %}
            select
                members.campaign_id,
                '{{ lever }}' as lever,
                '{{ dimension }}' as dimension,
                members.member,
                '{{ metric }}_{{ long }}d' as metric,
                members.{{ metric }}_{{ long }}d as value,
                campaigns.{{ metric }}_{{ long }}d as baseline
            from members
            inner join campaigns
                on members.campaign_id = campaigns.campaign_id
            where members.dimension = '{{ dimension }}'
            union all
        {% endfor %}
    {% endfor %}

    select
        campaigns.campaign_id,
        'targeting' as lever,
        'tier' as dimension,
        premium.member,
        'premium_share_of_qualified_leads' as metric,
        {{ safe_ratio(
            'premium.qualified_leads_' ~ long ~ 'd',
            'campaigns.qualified_leads_' ~ long ~ 'd') }} as value,
        null as baseline
    from campaigns
    inner join members as premium
        on
            campaigns.campaign_id = premium.campaign_id
            and premium.dimension = 'tier'
            and premium.member = 'premium'

    union all

    select
        campaigns.campaign_id,
        'tracking_precision' as lever,
        'campaign' as dimension,
        campaigns.campaign_id as member,
        'unit_code_share' as metric,
        case when present.has_codes then unit_codes.unit_code_share end
            as value,
        null as baseline
    from campaigns
    cross join present
    left join unit_codes
        on campaigns.campaign_id = unit_codes.campaign_id

    union all

    select
        campaign_id,
        'tracking_precision' as lever,
        'campaign' as dimension,
        campaign_id as member,
        'tracking_share' as metric,
        tracking_share as value,
        null as baseline
    from campaigns

),

final as (

    select
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(lever as {{ dbt.type_string() }}) as lever,
        cast(dimension as {{ dbt.type_string() }}) as dimension,
        cast(member as {{ dbt.type_string() }}) as member,
        cast(metric as {{ dbt.type_string() }}) as metric,
        cast(value as {{ double_type() }}) as value,
        cast(baseline as {{ double_type() }}) as baseline

    from group_figures

)

select * from final
