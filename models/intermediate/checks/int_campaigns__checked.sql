{#-
    `campaigns` after every row check: staging's, then no references to check,
    so its row checks are final.
    Grain: one row per staged row. Later models read `where is_kept`.
-#}

with

campaigns as (

    select * from {{ ref('stg_planning__campaigns') }}

),

checked as (

    select
        campaigns.*,
        campaigns.breach_reason || ':'
        || coalesce(campaigns.breach_detail, '') as breach

    from campaigns

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
