{#-
    The groups each recipient counts in, per metrics.md's Breakdowns: its
    campaign; its segment and its variant (holdout recipients and a null
    variant are no group); and each SKU, channel, SKU-channel pair, SKU
    positioning and SKU tier of which it received a delivered shipment.
    Every figure that counts recipients, leads, conversions or responses is
    grouped through this model, so that one definition serves every breakdown;
    is_delivered_recipient is carried along so that counting the delivered
    recipients of a group needs no join (a SKU's or channel's recipients
    all are: they received a delivered shipment of it).
    Grain: one row per recipient, dimension, member and member_channel.
-#}

with

recipients as (

    select * from {{ ref('int_recipients__delivered') }}

),

shipments as (

    select * from {{ ref('int_shipments__as_of') }}

),

delivered_items as (

    select distinct
        shipments.campaign_id,
        shipments.recipient_id,
        shipments.sku,
        shipments.channel,
        shipments.positioning,
        shipments.tier

    from shipments

    inner join recipients
        on shipments.recipient_id = recipients.recipient_id

    where shipments.is_delivered and recipients.is_delivered_recipient

),

members as (

    select
        campaign_id,
        recipient_id,
        'campaign' as dimension,
        campaign_id as member,
        cast(null as {{ dbt.type_string() }}) as member_channel,
        is_delivered_recipient
    from recipients

    union all

    select
        campaign_id,
        recipient_id,
        'segment' as dimension,
        segment as member,
        null as member_channel,
        is_delivered_recipient
    from recipients
    where not is_holdout

    union all

    select
        campaign_id,
        recipient_id,
        'variant' as dimension,
        variant as member,
        null as member_channel,
        is_delivered_recipient
    from recipients
    where not is_holdout and variant is not null

    union all

    select distinct
        campaign_id,
        recipient_id,
        'sku' as dimension,
        sku as member,
        null as member_channel,
        true as is_delivered_recipient
    from delivered_items

    union all

    select distinct
        campaign_id,
        recipient_id,
        'channel' as dimension,
        channel as member,
        null as member_channel,
        true as is_delivered_recipient
    from delivered_items

    union all

    select
        campaign_id,
        recipient_id,
        'sku_channel' as dimension,
        sku as member,
        channel as member_channel,
        true as is_delivered_recipient
    from delivered_items

    union all

    select distinct
        campaign_id,
        recipient_id,
        'positioning' as dimension,
        positioning as member,
        null as member_channel,
        true as is_delivered_recipient
    from delivered_items

    union all

    select distinct
        campaign_id,
        recipient_id,
        'tier' as dimension,
        tier as member,
        null as member_channel,
        true as is_delivered_recipient
    from delivered_items

)

select * from members
