{#-
    How many counted respondents gave each NPS score, per campaign: the
    distribution behind `nps` (metrics.md, Feedback and quality), drawn in
    the report. Grain: one row per campaign and score given; a score nobody
    gave has no row.
-#}

with

responses as (

    select
        campaign_id,
        nps_score

    from {{ ref('fct_responses') }}

    -- the responses `respondents` and `nps` count, so that the bars add up
    -- to the campaign's respondents
    where
        is_counted
        and nps_score is not null

),

final as (

    select
        campaign_id,
        -- fixed types, the same on every engine, for the contract
        cast(nps_score as integer) as nps_score,
        cast(count(*) as bigint) as respondents

    from responses

    group by 1, 2

)

select * from final
