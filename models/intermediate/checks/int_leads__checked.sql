{#-
    `leads` after every row check: staging's, then rules 5 and 6 of the
    contract: references to kept rows
    (recipient_id → recipients).
    Grain: one row per staged row. Later models read `where is_kept`.
-#}

with

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

kept_recipients as (

    select recipient_id from {{ ref('int_recipients__checked') }}
    where is_kept

),

checked as (

    select
        leads.*,
        coalesce(
            leads.breach_reason || ':'
            || coalesce(leads.breach_detail, ''),
            case
                when
                    leads.recipient_id is not null
                    and kept_recipients.recipient_id is null
                    then 'unknown_recipient:recipient_id'
            end
        ) as breach

    from leads

    left join kept_recipients
        on leads.recipient_id = kept_recipients.recipient_id

),

final as (

    select
        *,
        {{ breach_reason('breach') }} as set_aside_reason,
        {{ breach_detail('breach') }} as set_aside_detail,
        breach is null as is_kept

    from checked

)

select * from final
