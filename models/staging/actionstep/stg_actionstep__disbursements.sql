-- Disbursements (costs paid on the client's behalf) per matter.
with source as (
    select * from {{ actionstep_current('disbursements', '{"date":"VARCHAR","description":"VARCHAR","quantity":"VARCHAR","unitPrice":"VARCHAR","links":{"action":"VARCHAR","enteredByParticipant":"VARCHAR"}}') }}
)

select
    cast(id as bigint) as disbursement_id,
    try_cast(r['links']['action'] as bigint) as action_id,
    try_cast(r['date'] as date) as disbursement_date,
    nullif(trim(r['description']), '') as description,
    try_cast(r['quantity'] as double) as quantity,
    try_cast(r['unitPrice'] as double) as unit_price,
    try_cast(r['links']['enteredByParticipant'] as bigint) as entered_by_participant_id
from source
