-- Contact tags (res.partner.category): Referral Source, on the referrer partners created when
-- var referral_mode = partner (none in field mode).
with tags as (
    select
        'legal2odoo.partner_category_referral_source' as id,
        'Referral Source' as name
    where '{{ var("referral_mode") }}' = 'partner'

    union all

    -- Actionstep participant roles (seed participant_roles) and General Contact.
    select
        category_xmlid,
        name
    from {{ ref('int_actionstep__partner_categories') }}
),

final as (
    select
        id,
        name,
        case when id like 'legal2odoo.partner_category_referral_source' then 'legal2odoo' else 'actionstep' end
            as _source_system,
        'tag' as _source_model,
        name as _source_id
    from tags
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
