{#-
    The groups each shipment's units, costs, codes and returns go to, per
    metrics.md's Breakdowns: its campaign, its SKU, its channel, its
    SKU-channel pair, and its recipient's segment and variant (a holdout
    recipient and a null variant are no group).
    Grain: one row per shipment, dimension, member and member_channel.
-#}

with

shipments as (

    select * from {{ ref('int_shipments__as_of') }}

),

recipients as (

    select * from {{ ref('int_recipients__delivered') }}

),

with_recipient as (

    select
        shipments.shipment_id,
        shipments.campaign_id,
        shipments.sku,
        shipments.channel,
        shipments.positioning,
        shipments.tier,
        recipients.segment,
        recipients.variant,
        recipients.is_holdout

    from shipments

    inner join recipients
        on shipments.recipient_id = recipients.recipient_id

),

members as (

    select
        shipment_id,
        campaign_id,
        'campaign' as dimension,
        campaign_id as member,
        cast(null as {{ dbt.type_string() }}) as member_channel
    from with_recipient

    union all

    select
        shipment_id,
        campaign_id,
        'sku' as dimension,
        sku as member,
        null as member_channel
    from with_recipient

    union all

    select
        shipment_id,
        campaign_id,
        'channel' as dimension,
        channel as member,
        null as member_channel
    from with_recipient

    union all

    select
        shipment_id,
        campaign_id,
        'sku_channel' as dimension,
        sku as member,
        channel as member_channel
    from with_recipient

    union all

    select
        shipment_id,
        campaign_id,
        'positioning' as dimension,
        positioning as member,
        null as member_channel
    from with_recipient

    union all

    select
        shipment_id,
        campaign_id,
        'tier' as dimension,
        tier as member,
        null as member_channel
    from with_recipient

    union all

    select
        shipment_id,
        campaign_id,
        'segment' as dimension,
        segment as member,
        null as member_channel
    from with_recipient
    where not is_holdout

    union all

    select
        shipment_id,
        campaign_id,
        'variant' as dimension,
        variant as member,
        null as member_channel
    from with_recipient
    where not is_holdout and variant is not null

)

select * from members
