{#-
    Who owns each lead (metrics.md, Leads and conversions): the recipient of
    its recipient_id when set; otherwise every kept recipient, in any
    campaign, whose e-mail hash equals the lead's (both non-null: the hash is
    of the trimmed, lower-cased address).
    Grain: one row per kept lead whose created_at counts at as_of and owner.
    A lead that matches no recipient has no row.
-#}

with

leads as (

    select
        lead_id,
        recipient_id,
        email_hash,
        created_at,
        is_qualified

    from {{ ref('int_leads__checked') }}

    where
        is_kept
        and cast(created_at as date) <= {{ as_of_date() }}

),

recipients as (

    select
        recipient_id,
        campaign_id,
        email_hash

    from {{ ref('int_recipients__checked') }}

    where is_kept

),

owners_by_id as (

    select
        leads.lead_id,
        recipients.recipient_id,
        recipients.campaign_id,
        leads.created_at,
        leads.is_qualified

    from leads

    inner join recipients
        on leads.recipient_id = recipients.recipient_id

),

owners_by_email as (

    select
        leads.lead_id,
        recipients.recipient_id,
        recipients.campaign_id,
        leads.created_at,
        leads.is_qualified

    from leads

    inner join recipients
        on leads.email_hash = recipients.email_hash

    where leads.recipient_id is null

),

final as (

    select * from owners_by_id

    union all

    select * from owners_by_email

)

select * from final
