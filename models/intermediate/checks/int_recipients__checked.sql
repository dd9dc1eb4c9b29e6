{#-
    `recipients` after every row check: staging's, then rules 5 and 6 of the
    contract: references to kept rows
    (campaign_id → campaigns).
    Grain: one row per staged row. Later models read `where is_kept`.
-#}

with

recipients as (

    select * from {{ ref('stg_crm__recipients') }}

),

kept_campaigns as (

    select campaign_id from {{ ref('int_campaigns__checked') }}
    where is_kept

),

checked as (

    select
        recipients.*,
        coalesce(
            recipients.breach_reason || ':'
            || coalesce(recipients.breach_detail, ''),
            case
                when kept_campaigns.campaign_id is null
                    then 'unknown_campaign:campaign_id'
            end
        ) as breach

    from recipients

    left join kept_campaigns
        on recipients.campaign_id = kept_campaigns.campaign_id

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
