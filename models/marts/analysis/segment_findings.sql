{#-
    Segment x SKU cells of metrics.md (Comparisons that claim a
    difference). A cell is a segment's delivered recipients who received a
    delivered shipment of the SKU (int_recipient_members, dimension sku);
    its rest is the segment's other delivered recipients. The rate is
    lead_rate_<W>d for the longest window W of var attribution_windows.
    Only cells of at least var min_cell_size recipients are rows: smaller
    ones are not tested and not shown. A cell whose rest is empty has a
    null p-value and is not tested: it is left out of the Benjamini-Hochberg
    set of its campaign, over which the q-values of the tested cells are
    computed (macros/stats). A cell and rest with no lead at all, or only
    leads, have a p-value of 1 and are tested. No rows when the leads table
    is absent.
    Grain: one row per campaign, segment and SKU tested.
-#}

{%- set long = var('attribution_windows') | max %}
{%- set level = var('significance_level') %}
{%- set min_cell_size = var('min_cell_size') %}

with

recipients as (

    select
        recipient_id,
        campaign_id,
        segment

    from {{ ref('int_recipients__delivered') }}

    where is_delivered_recipient

),

sku_members as (

    select
        campaign_id,
        recipient_id,
        member as sku

    from {{ ref('int_recipient_members') }}

    where dimension = 'sku'

),

leads as (

    select
        campaign_id,
        recipient_id

    from {{ ref('fct_leads') }}

    where window_days = {{ long }}

),

inventory as (

    select
        table_name,
        is_present

    from {{ ref('stg_raw_input__raw_table_inventory') }}

),

present as (

    {{ tables_present('inventory', ['leads']) }}

),

lead_recipients as (

    select distinct
        campaign_id,
        recipient_id

    from leads

),

outcomes as (

    select
        recipients.recipient_id,
        recipients.campaign_id,
        recipients.segment,
        lead_recipients.recipient_id is not null as has_lead

    from recipients

    left join lead_recipients
        on
            recipients.recipient_id = lead_recipients.recipient_id
            and recipients.campaign_id = lead_recipients.campaign_id

),

segment_totals as (

    select
        campaign_id,
        segment,
        count(*) as segment_n,
        count(*) filter (where has_lead) as segment_successes

    from outcomes

    group by 1, 2

),

cell_totals as (

    select
        outcomes.campaign_id,
        outcomes.segment,
        sku_members.sku,
        count(*) as n,
        count(*) filter (where outcomes.has_lead) as successes

    from outcomes

    inner join sku_members
        on
            outcomes.recipient_id = sku_members.recipient_id
            and outcomes.campaign_id = sku_members.campaign_id

    group by 1, 2, 3

),

cells as (

    select
        cell_totals.campaign_id,
        cell_totals.segment,
        cell_totals.sku,
        cast(cell_totals.n as bigint) as n,
        cast(cell_totals.successes as bigint) as successes,
        cast(segment_totals.segment_n - cell_totals.n as bigint) as rest_n,
        cast(
            segment_totals.segment_successes - cell_totals.successes
            as bigint
        ) as rest_successes

    from cell_totals

    inner join segment_totals
        on
            cell_totals.campaign_id = segment_totals.campaign_id
            and cell_totals.segment = segment_totals.segment

    cross join present

    where
        present.has_leads
        and cell_totals.n >= {{ min_cell_size }}

),

p_values as (

    -- null when the rest is empty: such a cell is not tested
    select
        *,
        {{ two_proportion_p_value(
            'successes', 'n', 'rest_successes', 'rest_n') }} as p_value

    from cells

),

scaled as (

    -- Benjamini-Hochberg over the tested cells of each campaign
    select
        *,
        {{ benjamini_hochberg_scaled('p_value', ['campaign_id']) }}
            as bh_scaled

    from p_values

),

adjusted as (

    select
        *,
        {{ benjamini_hochberg('p_value', ['campaign_id']) }} as q_value

    from scaled

),

final as (

    select
        adjusted.campaign_id,
        adjusted.segment,
        adjusted.sku,
        adjusted.n,
        adjusted.successes,
        cast(
            {{ safe_ratio('adjusted.successes', 'adjusted.n') }}
            as {{ double_type() }}
        ) as rate,
        adjusted.rest_n,
        adjusted.rest_successes,
        cast(
            {{ safe_ratio('adjusted.rest_successes', 'adjusted.rest_n') }}
            as {{ double_type() }}
        ) as rest_rate,
        cast(
            {{ safe_ratio('adjusted.successes', 'adjusted.n') }}
            - {{ safe_ratio('adjusted.rest_successes', 'adjusted.rest_n') }}
            as {{ double_type() }}
        ) as difference,
        cast(adjusted.p_value as {{ double_type() }}) as p_value,
        cast(adjusted.q_value as {{ double_type() }}) as q_value,
        coalesce(adjusted.q_value <= {{ level }}, false) as finding

    from adjusted

)

select * from final
