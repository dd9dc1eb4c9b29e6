{#-
    Which raw tables the run found. Grain: one row per contract table.
-#}

with

source as (

    select * from {{ source('raw_input', 'raw_table_inventory') }}

),

final as (

    select
        table_name,
        location,
        cast(is_required as boolean) as is_required,
        cast(is_present as boolean) as is_present

    from source

)

select * from final
