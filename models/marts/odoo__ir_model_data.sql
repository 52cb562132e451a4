-- External ids for records the target Odoo already has, so every mart can point at them by
-- external id: people matched by email to an existing partner are reused, not duplicated.
with final as (
    select
        'legal2odoo' as module,
        substr(partner_xmlid, length('legal2odoo.') + 1) as name,
        'res.partner' as model,
        existing_odoo_id as res_id,
        true as noupdate,
        source_system as _source_system,
        source_model as _source_model,
        source_id as _source_id
    from {{ ref('int_partners_deduplicated_by_email') }}
    where existing_odoo_id is not null
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
