{#-
    `opportunities` after every row check: staging's, then rules 5 and 6 of the
    contract: references to kept rows
    (lead_id → leads).
    Grain: one row per staged row. Later models read `where is_kept`.
-#}

with

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

kept_leads as (

    select lead_id from {{ ref('int_leads__checked') }}
    where is_kept

),

checked as (

    select
        opportunities.*,
        coalesce(
            opportunities.breach_reason || ':'
            || coalesce(opportunities.breach_detail, ''),
            case
                when kept_leads.lead_id is null
                    then 'unknown_lead:lead_id'
            end
        ) as breach

    from opportunities

    left join kept_leads
        on opportunities.lead_id = kept_leads.lead_id

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
