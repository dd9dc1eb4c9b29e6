{#-
    `skus` after every row check: staging's, then no references to check, so its
    row checks are final.
    Grain: one row per staged row. Later models read `where is_kept`.
-#}

with

skus as (

    select * from {{ ref('stg_catalog__skus') }}

),

checked as (

    select
        skus.*,
        skus.breach_reason || ':'
        || coalesce(skus.breach_detail, '') as breach

    from skus

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
