{#-
    Set-aside rows counted by table and reason.
    Grain: one row per table and reason with at least one row.
-#}

with

set_aside_rows as (

    select * from {{ ref('set_aside_rows') }}

),

counted as (

    select
        table_name,
        reason,
        cast(count(*) as bigint) as set_aside_rows

    from set_aside_rows

    group by 1, 2

)

select * from counted
