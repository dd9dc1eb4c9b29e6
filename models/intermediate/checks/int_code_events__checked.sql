{#-
    `code_events` after every row check: staging's, then rules 5 and 6 of the
    contract: references to kept rows
    (code → codes).
    Grain: one row per staged row. Later models read `where is_kept`.
-#}

with

code_events as (

    select * from {{ ref('stg_tracking__code_events') }}

),

kept_codes as (

    select code from {{ ref('int_codes__checked') }}
    where is_kept

),

checked as (

    select
        code_events.*,
        coalesce(
            code_events.breach_reason || ':'
            || coalesce(code_events.breach_detail, ''),
            case
                when kept_codes.code is null
                    then 'unknown_code:code'
            end
        ) as breach

    from code_events

    left join kept_codes
        on code_events.code = kept_codes.code

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
