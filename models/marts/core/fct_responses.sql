{#-
    Survey responses at as_of (metrics.md, Feedback and quality).
    Grain: one row per kept response whose responded_at counts at as_of.
    The response that counts for a recipient is their latest one with a
    score in the campaign (by responded_at; ties: the largest response_id);
    a response without a recipient_id counts on its own when it has a
    score; one without a score never counts. The comment is only given with
    its e-mail addresses and phone numbers masked.
-#}

with

survey_responses as (

    select
        response_id,
        campaign_id,
        recipient_id,
        responded_at,
        nps_score,
        comment

    from {{ ref('int_survey_responses__checked') }}

    where
        is_kept
        and cast(responded_at as date) <= {{ as_of_date() }}

),

ranked as (

    select
        *,
        -- latest first among the same recipient's responses in the
        -- campaign, scored ones apart from unscored ones; an anonymous
        -- response is alone in its partition
        row_number() over (
            partition by
                campaign_id,
                recipient_id,
                case when recipient_id is null then response_id end,
                nps_score is null
            order by responded_at desc, response_id desc
        ) as recency_rank

    from survey_responses

),

final as (

    select
        response_id,
        campaign_id,
        recipient_id,
        responded_at,
        nps_score,
        nps_score is not null and recency_rank = 1 as is_counted,
        nps_score >= 9 as is_promoter,
        nps_score <= 6 as is_detractor,
        {{ mask_personal_data('comment') }} as comment_masked

    from ranked

)

select * from final
