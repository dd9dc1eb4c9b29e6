{#-
    `survey_responses` after every row check: staging's, then rules 5 and 6 of
    the contract: references to kept rows and the campaign of its recipient
    (campaign_id → campaigns, recipient_id → recipients).
    Grain: one row per staged row. Later models read `where is_kept`.
-#}

with

survey_responses as (

    select * from {{ ref('stg_feedback__survey_responses') }}

),

kept_campaigns as (

    select campaign_id from {{ ref('int_campaigns__checked') }}
    where is_kept

),

kept_recipients as (

    select
        recipient_id,
        campaign_id
    from {{ ref('int_recipients__checked') }}
    where is_kept

),

checked as (

    select
        survey_responses.*,
        coalesce(
            survey_responses.breach_reason || ':'
            || coalesce(survey_responses.breach_detail, ''),
            case
                when kept_campaigns.campaign_id is null
                    then 'unknown_campaign:campaign_id'
                when
                    survey_responses.recipient_id is not null
                    and kept_recipients.recipient_id is null
                    then 'unknown_recipient:recipient_id'
                when survey_responses.campaign_id <> kept_recipients.campaign_id
                    then 'campaign_mismatch:campaign_id'
            end
        ) as breach

    from survey_responses

    left join kept_campaigns
        on survey_responses.campaign_id = kept_campaigns.campaign_id

    left join kept_recipients
        on survey_responses.recipient_id = kept_recipients.recipient_id

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
