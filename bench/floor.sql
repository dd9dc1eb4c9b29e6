-- The floor: the headline figures of each campaign computed by hand in one
-- DuckDB script, straight from the raw files, with no dbt, no intermediate
-- model, no breakdown and no data test. It is what DuckDB itself needs for
-- these figures; the benchmark times the full build against it.
--
-- bench/run.py fills in {recipients}, {shipments}, ... with the reader of
-- each raw file (every column as text) and {as_of} with the report's date.
-- The contract's checks are applied as far as these figures need them:
-- exact duplicates merged, clashing keys dropped, values that do not parse
-- or are out of range dropped, rows pointing at a dropped row dropped. It
-- follows metrics.md, but shares no code with the models.

set timezone = 'UTC';

create or replace macro ts(value) as
    cast(try_cast(
        case
            when regexp_full_match(
                value,
                '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}'
                || '([ T][0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}}(\.[0-9]+)?)?'
                || '(Z|[+-][0-9]{{2}}:[0-9]{{2}})?)?'
            ) then value
        end as timestamptz
    ) as timestamp);

create or replace macro amount(value) as
    case
        when regexp_full_match(value, '[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)')
            then cast(value as decimal(38, 10))
    end;

create or replace macro whole(value) as
    case
        when regexp_full_match(value, '[+-]?[0-9]+')
            then try_cast(value as bigint)
    end;

create or replace macro flag(value) as
    case
        when lower(value) in ('true', '1') then true
        when lower(value) in ('false', '0') then false
    end;

create or replace macro counts(moment) as
    moment is not null and cast(moment as date) <= date '{as_of}';

-- Kept rows, typed: one CTE pair per table (distinct raw rows, then the
-- keys that stay unique), the references as semi-joins.

create temp table campaigns as
with raw as (select distinct * from {campaigns})
select
    campaign_id,
    try_cast(start_date as date) as start_date,
    try_cast(end_date as date) as end_date
from raw
where campaign_id is not null and campaign_id <> ''
    and campaign_name <> '' and currency <> ''
    and try_cast(start_date as date) is not null
    and try_cast(end_date as date) >= try_cast(start_date as date)
    and (budget is null or budget = '' or amount(budget) >= 0)
qualify count(*) over (partition by campaign_id) = 1;

create temp table skus as
with raw as (select distinct * from {skus})
select sku, amount(unit_cost) as unit_cost
from raw
where sku <> '' and sku_name <> '' and category <> ''
    and positioning in ('utility', 'visibility')
    and tier in ('standard', 'premium')
    and amount(unit_cost) >= 0 and flag(is_active) is not null
qualify count(*) over (partition by sku) = 1;

create temp table recipients as
with raw as (select distinct * from {recipients})
select
    recipient_id,
    campaign_id,
    nullif(lower(trim(email)), '') as email,
    flag(is_holdout) as is_holdout
from raw
where recipient_id <> '' and segment <> '' and flag(is_holdout) is not null
    and campaign_id in (select campaign_id from campaigns)
qualify count(*) over (partition by recipient_id) = 1;

create temp table shipments as
with raw as (select distinct * from {shipments}),

typed as (
    select
        shipment_id,
        campaign_id,
        recipient_id,
        sku,
        channel,
        whole(quantity) as quantity,
        ts(ordered_at) as ordered_at,
        ts(nullif(shipped_at, '')) as shipped_at,
        ts(nullif(delivered_at, '')) as delivered_at,
        nullif(shipped_at, '') is not null as has_shipped_text,
        nullif(delivered_at, '') is not null as has_delivered_text,
        status,
        amount(shipping_cost) as shipping_cost,
        amount(handling_cost) as handling_cost,
        count(*) over (partition by shipment_id) as copies
    from raw
)

select
    t.shipment_id,
    t.campaign_id,
    t.recipient_id,
    t.sku,
    t.quantity,
    t.status,
    t.shipping_cost,
    t.handling_cost,
    -- the clock: a later time that does not count has not happened yet
    if(counts(t.shipped_at), t.shipped_at, null) as shipped_at,
    if(counts(t.delivered_at), t.delivered_at, null) as delivered_at
from typed as t
inner join recipients as r
    on t.recipient_id = r.recipient_id and t.campaign_id = r.campaign_id
where t.copies = 1
    and t.shipment_id <> ''
    and t.sku in (select sku from skus)
    and t.channel in ('direct_mail', 'event', 'sales_visit', 'order_insert')
    and t.status in (
        'ordered', 'shipped', 'delivered', 'returned', 'lost', 'cancelled'
    )
    and t.quantity > 0
    and t.ordered_at is not null
    and (t.shipped_at is not null or not t.has_shipped_text)
    and (t.delivered_at is not null or not t.has_delivered_text)
    and t.shipping_cost >= 0 and t.handling_cost >= 0
    and coalesce(t.shipped_at >= t.ordered_at, true)
    and coalesce(t.delivered_at >= t.shipped_at, true)
    and not (t.delivered_at is not null and t.shipped_at is null)
    and not (t.status = 'cancelled' and t.delivered_at is not null)
    and counts(t.ordered_at);

create temp table returns as
with raw as (select distinct * from {returns})
select
    r.shipment_id,
    r.reason,
    whole(r.quantity) as quantity,
    coalesce(amount(nullif(r.handling_cost, '')), 0) as handling_cost
from raw as r
where r.return_id <> ''
    and r.reason in (
        'defect', 'damaged', 'wrong_item', 'refused', 'undeliverable', 'other'
    )
    and whole(r.quantity) > 0
    and (
        nullif(r.handling_cost, '') is null
        or amount(r.handling_cost) >= 0
    )
    and counts(ts(r.reported_at))
    and r.shipment_id in (select shipment_id from shipments)
qualify count(*) over (partition by r.return_id) = 1;

create temp table codes as
with raw as (select distinct * from {codes})
select c.code, c.shipment_id
from raw as c
where c.code <> '' and c.code_type in ('qr', 'promo')
    and (nullif(c.issued_at, '') is null or ts(c.issued_at) is not null)
    and c.shipment_id in (select shipment_id from shipments)
qualify count(*) over (partition by c.code) = 1;

create temp table code_events as
with raw as (select distinct * from {code_events})
select e.code, ts(e.event_at) as event_at
from raw as e
where e.event_id <> '' and e.event_type in ('scan', 'redeem')
    and counts(ts(e.event_at))
    and e.code in (select code from codes)
qualify count(*) over (partition by e.event_id) = 1;

create temp table leads as
with raw as (select distinct * from {leads})
select
    l.lead_id,
    nullif(l.recipient_id, '') as recipient_id,
    nullif(lower(trim(l.email)), '') as email,
    ts(l.created_at) as created_at
from raw as l
where l.lead_id <> '' and flag(l.is_qualified) is not null
    and counts(ts(l.created_at))
    and (
        nullif(l.recipient_id, '') is null
        or l.recipient_id in (select recipient_id from recipients)
    )
qualify count(*) over (partition by l.lead_id) = 1;

create temp table opportunities as
with raw as (select distinct * from {opportunities}),

typed as (
    select
        lead_id,
        stage,
        ts(created_at) as created_at,
        ts(nullif(closed_at, '')) as closed_raw,
        nullif(closed_at, '') is not null as has_closed_text,
        nullif(amount, '') as amount_text,
        count(*) over (partition by opportunity_id) as copies,
        opportunity_id
    from raw
)

select
    lead_id,
    stage,
    if(counts(closed_raw), closed_raw, null) as closed_at
from typed
where copies = 1 and opportunity_id <> ''
    and stage in ('open', 'won', 'lost')
    and counts(created_at)
    and (closed_raw is not null or not has_closed_text)
    and coalesce(closed_raw >= created_at, true)
    and (amount_text is null or amount(amount_text) >= 0)
    and lead_id in (select lead_id from leads);

create temp table survey_responses as
with raw as (select distinct * from {survey_responses})
select
    s.response_id,
    s.campaign_id,
    nullif(s.recipient_id, '') as recipient_id,
    ts(s.responded_at) as responded_at,
    whole(nullif(s.nps_score, '')) as nps_score
from raw as s
left join recipients as r
    on nullif(s.recipient_id, '') = r.recipient_id
where s.response_id <> ''
    and counts(ts(s.responded_at))
    and (nullif(s.nps_score, '') is null or whole(s.nps_score) between 0 and 10)
    and s.campaign_id in (select campaign_id from campaigns)
    and (
        nullif(s.recipient_id, '') is null
        or r.campaign_id = s.campaign_id
    )
qualify count(*) over (partition by s.response_id) = 1;

-- The figures.

create temp table delivered_recipients as
select
    r.recipient_id,
    r.campaign_id,
    r.email,
    min(s.delivered_at) as delivered_at
from recipients as r
inner join shipments as s
    on r.recipient_id = s.recipient_id
where not r.is_holdout
    and s.status <> 'cancelled'
    and s.delivered_at is not null
group by all;

create temp table attributed_leads as
with owners as (
    select l.lead_id, l.created_at, r.recipient_id
    from leads as l
    inner join recipients as r
        on l.recipient_id = r.recipient_id
    union all
    select l.lead_id, l.created_at, r.recipient_id
    from leads as l
    inner join recipients as r
        on l.email = r.email
    where l.recipient_id is null
)

select
    o.lead_id,
    d.recipient_id,
    d.campaign_id,
    d.delivered_at
from owners as o
inner join delivered_recipients as d
    on o.recipient_id = d.recipient_id
where o.created_at between d.delivered_at and d.delivered_at + interval 90 day
qualify row_number() over (
    partition by o.lead_id order by d.delivered_at desc, d.recipient_id
) = 1;

with

units_and_costs as (
    select
        s.campaign_id,
        sum(s.quantity) filter (where s.shipped_at is not null)
            as units_shipped,
        sum(s.quantity) filter (where s.delivered_at is not null)
            as units_delivered,
        coalesce(
            sum(s.quantity * k.unit_cost)
                filter (where s.shipped_at is not null),
            0
        ) as item_cost,
        sum(s.shipping_cost + s.handling_cost) as shipment_logistics
    from shipments as s
    inner join skus as k
        on s.sku = k.sku
    where s.status <> 'cancelled'
    group by s.campaign_id
),

return_handling as (
    select s.campaign_id, sum(r.handling_cost) as return_logistics
    from returns as r
    inner join shipments as s
        on r.shipment_id = s.shipment_id
    group by s.campaign_id
),

code_activation as (
    select
        s.campaign_id,
        count(*) as delivered_codes,
        count(*) filter (where exists (
            select 1
            from code_events as e
            where e.code = c.code and e.event_at >= s.shipped_at
        )) as activated_codes
    from codes as c
    inner join shipments as s
        on c.shipment_id = s.shipment_id
    where s.status <> 'cancelled' and s.delivered_at is not null
    group by s.campaign_id
),

leads_90d as (
    select campaign_id, count(*) as leads_90d
    from attributed_leads
    group by campaign_id
),

conversions_90d as (
    select a.campaign_id, count(*) as conversions_90d
    from opportunities as o
    inner join attributed_leads as a
        on o.lead_id = a.lead_id
    where o.stage = 'won'
        and o.closed_at <= a.delivered_at + interval 90 day
    group by a.campaign_id
),

counted_responses as (
    select campaign_id, nps_score
    from survey_responses
    where nps_score is not null
    qualify recipient_id is null or row_number() over (
        partition by campaign_id, recipient_id
        order by responded_at desc, response_id desc
    ) = 1
),

nps as (
    select
        campaign_id,
        100.0 * (
            count(*) filter (where nps_score >= 9)
            - count(*) filter (where nps_score <= 6)
        ) / count(*) as nps
    from counted_responses
    group by campaign_id
)

select
    c.campaign_id,
    coalesce(u.units_shipped, 0) as units_shipped,
    coalesce(u.units_delivered, 0) as units_delivered,
    coalesce(u.item_cost, 0) as item_cost,
    coalesce(u.shipment_logistics, 0) + coalesce(h.return_logistics, 0)
        as logistics_cost,
    coalesce(u.item_cost, 0) + coalesce(u.shipment_logistics, 0)
    + coalesce(h.return_logistics, 0) as total_cost,
    a.activated_codes / nullif(a.delivered_codes, 0) as activation_rate,
    coalesce(l.leads_90d, 0) as leads_90d,
    coalesce(v.conversions_90d, 0) as conversions_90d,
    (
        coalesce(u.item_cost, 0) + coalesce(u.shipment_logistics, 0)
        + coalesce(h.return_logistics, 0)
    ) / nullif(l.leads_90d, 0) as cpl_90d,
    n.nps
from campaigns as c
left join units_and_costs as u on c.campaign_id = u.campaign_id
left join return_handling as h on c.campaign_id = h.campaign_id
left join code_activation as a on c.campaign_id = a.campaign_id
left join leads_90d as l on c.campaign_id = l.campaign_id
left join conversions_90d as v on c.campaign_id = v.campaign_id
left join nps as n on c.campaign_id = n.campaign_id
order by c.campaign_id;
