// The 4biz page: the analyst's view of the 4biz fake. Replies and status buttons change the ticket in
// 4biz; with push on, the server then calls the integration's push endpoint like a 4biz automation,
// otherwise the bot's scheduled syncTicketUpdates picks the change up.
;(function () {
  const { h, fill, api, post, linkified, poll } = window.ui
  const $ = (id) => document.getElementById(id)
  let state = null
  let selected = location.hash.slice(1) || null
  let shownList = ''
  let shownDetail = ''
  // the integration's configured language (pt-BR by default), set by the first state
  let words = window.fourbizTexts()
  const tr = (key, ...args) => words.t(key, ...args)
  const when = (value) => {
    const d = new Date(value)
    // one clock on the page: Brasília's, the one 4biz (and the integration) write follow-ups in
    return isNaN(d)
      ? String(value ?? '')
      : d.toLocaleString(words.lang, { dateStyle: 'short', timeStyle: 'short', timeZone: 'America/Sao_Paulo' })
  }

  function translatePage() {
    document.documentElement.lang = words.lang
    for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = tr(el.dataset.i18n)
    for (const el of document.querySelectorAll('[data-i18n-placeholder]'))
      el.placeholder = tr(el.dataset.i18nPlaceholder)
  }

  async function refresh() {
    state = await api('/api/4biz/state')
    if (words.lang !== window.fourbizTexts(state.language).lang || !document.documentElement.dataset.translated) {
      words = window.fourbizTexts(state.language)
      translatePage()
      document.documentElement.dataset.translated = words.lang
      shownList = shownDetail = shownSetup = ''
    }
    if (!$('analyst').value) $('analyst').value = state.analyst
    $('push').checked = state.push
    $('push').disabled = !state.pushAvailable
    $('push-label').title = state.pushAvailable ? tr('pushTitle', state.pushUrl) : tr('pushUnavailable')
    $('delivery-note').textContent = state.push ? tr('pushOnNote', state.pushUrl) : tr('pushOffNote')
    if (!selected && state.tickets.length) select(state.tickets[0].number)
    renderList()
    renderDetail()
    renderSetup()
  }

  let shownSetup = ''
  function renderSetup() {
    const json = JSON.stringify([state.permissions, state.setupCheck])
    if (json === shownSetup) return
    shownSetup = json
    fill(
      $('permissions'),
      ...state.permissions.map((p) =>
        h(
          'label',
          { class: 'permission' },
          h('input', {
            type: 'checkbox',
            'data-operation': p.operation,
            ...(p.allowed ? { checked: '' } : {}),
            onChange: (e) =>
              act(() => post('/api/4biz/permission', { operation: p.operation, allowed: e.target.checked })),
          }),
          ` ${p.operation}`
        )
      )
    )
    const check = state.setupCheck
    $('setup-report').className = `setup-report ${check ? (check.ok ? 'ok' : 'error-text') : 'muted'}`
    $('setup-report').textContent = check ? `${when(check.at)}\n${check.report}` : tr('setupNotRun')
  }

  function select(number) {
    selected = number
    history.replaceState(null, '', `#${number}`)
    shownList = ''
    shownDetail = ''
    $('reply-text').value = ''
    $('action-result').textContent = ''
  }

  function renderList() {
    const json = JSON.stringify([selected, state.tickets.map((t) => [t.number, t.status, t.requester])])
    if (json === shownList) return
    shownList = json
    $('no-tickets').hidden = state.tickets.length > 0
    fill(
      $('ticket-rows'),
      ...state.tickets.map((t) =>
        h(
          'tr',
          {
            class: `ticket-row${t.number === selected ? ' selected' : ''}`,
            'data-number': t.number,
            onClick: () => (select(t.number), renderList(), renderDetail()),
          },
          h('td', {}, h('strong', {}, t.number)),
          h('td', {}, t.requester.name || t.requester.login, h('div', { class: 'muted' }, t.requester.login)),
          h('td', {}, badge(t.status)),
          h('td', { class: 'col-opened' }, when(t.openedAt))
        )
      )
    )
  }

  function renderDetail() {
    const t = state.tickets.find((x) => x.number === selected)
    $('detail').hidden = !t
    if (!t) return
    const json = JSON.stringify(t)
    if (json === shownDetail) return
    shownDetail = json
    $('detail').dataset.number = t.number
    $('detail').dataset.status = t.status.code
    const final = [state.statuses.closed, state.statuses.cancelled].includes(t.status.code)
    $('reply-send').disabled = final
    $('resolve').disabled = final || t.status.code === state.statuses.resolved
    $('close').disabled = final
    $('cancel').disabled = final
    fill(
      $('detail-head'),
      h('div', { class: 'ticket-title' }, h('h2', {}, tr('ticket', t.number)), badge(t.status)),
      h(
        'dl',
        { class: 'fields' },
        field(tr('requester'), `${t.requester.name || '—'} (${t.requester.login})`),
        field(tr('unitGroup'), [t.requester.unit, t.requester.group].filter(Boolean).join(' / ') || '—'),
        field(tr('activity'), `${t.service.code} — ${t.service.name}`),
        field(tr('type'), t.type === 'I' ? tr('incident') : tr('request')),
        field(tr('origin'), t.origin),
        field(tr('contract'), t.contractID),
        field(tr('openedAt'), when(t.openedAt)),
        field(tr('deadline'), when(t.deadline)),
        field(tr('numberOrigin'), t.numberOrigin),
        field(tr('openedBy'), `${t.createdBy} (${tr('platform', t.platform)})`)
      )
    )
    fill(
      $('detail-body'),
      h('h3', {}, tr('description')),
      h('div', { class: 'description' }, linkified(htmlText(t.description))),
      h('h3', {}, tr('followUps', t.occurrences.length)),
      t.occurrences.length ? t.occurrences.map((o) => followUp(o)) : h('div', { class: 'muted small' }, tr('none')),
      (t.systemOccurrences ?? []).length
        ? h(
            'details',
            { class: 'system-followups' },
            h('summary', {}, tr('systemFollowUps', t.systemOccurrences.length)),
            t.systemOccurrences.map((o) => followUp(o, true))
          )
        : null,
      t.attachments.length
        ? [
            h('h3', {}, tr('attachments')),
            h(
              'ul',
              { class: 'small-list' },
              t.attachments.map((a) =>
                h('li', {}, `${a.name} (${a.extension}, ${a.size} bytes) — ${a.addedBy}, ${when(a.addedAt)}`)
              )
            ),
          ]
        : null,
      h('h3', {}, tr('statusHistory')),
      h(
        'ul',
        { class: 'small-list' },
        t.statusHistory.map((s) =>
          h('li', {}, `${when(s.at)} — ${s.code} ${tr('by')} ${s.by}${s.details ? ` (${s.details})` : ''}`)
        )
      ),
      t.pushes.length
        ? [
            h('h3', {}, tr('pushes')),
            h(
              'ul',
              { class: 'small-list' },
              t.pushes.map((p) => {
                const outcome = pushOutcome(p)
                return h(
                  'li',
                  { class: outcome.ok ? 'ok' : 'error-text' },
                  `${when(p.at)} — ${p.cause}: ${outcome.text}`
                )
              })
            ),
          ]
        : null
    )
  }

  function followUp(o, system = false) {
    const fromIntegration = o.userID === state.integrationUser
    return h(
      'div',
      {
        class: `${system ? 'system-followup' : 'followup'}${fromIntegration ? ' from-integration' : ''}`,
        'data-number': o.number,
      },
      h(
        'div',
        { class: 'followup-meta' },
        `#${o.number} · ${o.userID}${fromIntegration ? ` ${tr('fromIntegration')}` : ''} · ${o.category.name} · ${o.date} ${o.hour}`
      ),
      h('div', { class: 'followup-text' }, linkified(htmlText(o.description)))
    )
  }

  /** 4biz stores descriptions and follow-ups as HTML (its editor writes <br>, <p>): shown as its text. */
  function htmlText(html) {
    const doc = new DOMParser().parseFromString(String(html ?? ''), 'text/html')
    doc.querySelectorAll('br').forEach((br) => br.replaceWith('\n'))
    doc.querySelectorAll('p, div, li').forEach((el) => el.append('\n'))
    return doc.body.textContent.replace(/\n{3,}/g, '\n\n').trim()
  }

  const field = (label, value) => [h('dt', {}, label), h('dd', {}, value ?? '—')]
  const badge = (status) => h('span', { class: `badge ${status.code}` }, status.name)

  /** What the push did, as the integration answered it: reached the user, or why not. */
  function pushOutcome(push) {
    let answer
    try {
      answer = JSON.parse(push.body)
    } catch {
      answer = undefined
    }
    if (!(push.status >= 200 && push.status < 300))
      return {
        ok: false,
        text: tr(
          'pushFailed',
          `${push.status || tr('noAnswer')} ${(answer && answer.error) || push.body.slice(0, 120)}`
        ),
      }
    if (!answer || answer.linked === false)
      return { ok: false, text: tr('reachedNoOne', push.status, (answer && answer.reason) || tr('notLinked')) }
    if (answer.undelivered && answer.undelivered.length)
      return { ok: false, text: tr('undelivered', push.status, answer.undelivered.join('; ')) }
    if (answer.retry) return { ok: false, text: tr('retrying', push.status, answer.retry) }
    const parts = [
      answer.relayed ? tr('replies', answer.relayed) : null,
      answer.statusChanges ? tr('statusAnnounced') : null,
    ].filter(Boolean)
    return { ok: true, text: tr('delivered', push.status, parts.join(', ') || tr('nothingNew')) }
  }

  function showResult(prefix, res) {
    const push = res.push
    const outcome = push ? pushOutcome(push) : { ok: true, text: state.push ? '' : tr('nextSync') }
    $('action-result').className = `action-result ${outcome.ok ? 'ok' : 'error-text'}`
    $('action-result').textContent = outcome.text ? `${prefix} · ${outcome.text}` : prefix
  }

  async function act(work) {
    $('action-result').className = 'action-result muted'
    $('action-result').textContent = tr('working')
    try {
      await work()
    } catch (err) {
      $('action-result').className = 'action-result error-text'
      $('action-result').textContent = err.message
    }
    refresh()
  }

  $('reply-send').addEventListener('click', () =>
    act(async () => {
      const text = $('reply-text').value
      const res = await post('/api/4biz/reply', { ticketNumber: selected, text, author: $('analyst').value })
      $('reply-text').value = ''
      showResult(tr('followUpAdded', res.followUpNumber), res)
    })
  )
  for (const id of ['resolve', 'close', 'cancel'])
    $(id).addEventListener('click', () =>
      act(async () => {
        const res = await post('/api/4biz/status', {
          ticketNumber: selected,
          status: $(id).dataset.status,
          author: $('analyst').value,
        })
        showResult(tr('statusSet', res.status), res)
      })
    )
  $('push').addEventListener('change', () => act(() => post('/api/4biz/push', { push: $('push').checked })))
  $('run-setup-check').addEventListener('click', () => act(() => post('/api/4biz/setup-check', {})))

  poll(refresh, 1000)
})()
