-- Trust ledger rows resolved to their matter (by the matter reference) and through it to the
-- matter's client partner (mapping 8). A row whose matter reference matches no matter, or whose
-- matter has no client, is a review entry.
with transactions as (
    select * from {{ ref('stg_actionstep__trust_transactions') }}
),

matters as (
    select
        reference,
        min(action_id) as action_id
    from {{ ref('stg_actionstep__actions') }}
    where reference is not null
    group by reference
),

leads as (
    select
        action_id,
        partner_xmlid
    from {{ ref('int_actionstep__leads') }}
)

select
    transactions.*,
    matters.action_id,
    leads.partner_xmlid,
    case
        when matters.action_id is null or leads.partner_xmlid is null
            then 'trust_transaction_unresolvable'
    end as review_reason
from transactions
left join matters
    on transactions.matter_reference = matters.reference
left join leads
    on matters.action_id = leads.action_id
