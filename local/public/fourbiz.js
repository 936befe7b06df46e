// The 4biz page: the analyst's view of the 4biz fake. Replies and status buttons change the ticket in
// 4biz; with push on, the server then calls the integration's push endpoint like a 4biz automation,
// otherwise the bot's scheduled syncTicketUpdates picks the change up.
;(function () {
  const { h, fill, api, post, linkified, time, poll } = window.ui
  const $ = (id) => document.getElementById(id)
  const FINAL = ['Fechada', 'Cancelada']
  let state = null
  let selected = location.hash.slice(1) || null
  let shownList = ''
  let shownDetail = ''

  async function refresh() {
    state = await api('/api/4biz/state')
    if (!$('analyst').value) $('analyst').value = state.analyst
    $('push').checked = state.push
    $('push').disabled = !state.pushAvailable
    $('push-label').title = state.pushAvailable ? `POST ${state.pushUrl}, signed with fourbizWebhookSecret` : 'Set fourbizWebhookSecret to enable the push'
    $('delivery-note').textContent = state.push
      ? `Each reply and status change is pushed to the integration (POST ${state.pushUrl}), as a 4biz automation would; the bot's scheduled syncTicketUpdates also runs.`
      : 'Push is off: replies and status changes reach the user when the bot’s scheduled syncTicketUpdates runs.'
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
    fill($('permissions'),
      ...state.permissions.map((p) =>
        h('label', { class: 'permission' },
          h('input', { type: 'checkbox', 'data-operation': p.operation, ...(p.allowed ? { checked: '' } : {}), onChange: (e) => act(() => post('/api/4biz/permission', { operation: p.operation, allowed: e.target.checked })) }),
          ` ${p.operation}`
        )
      )
    )
    const check = state.setupCheck
    $('setup-report').className = `setup-report ${check ? (check.ok ? 'ok' : 'error-text') : 'muted'}`
    $('setup-report').textContent = check ? `${time(check.at)}\n${check.report}` : 'Not run from this page yet (register ran it at start: see the terminal).'
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
    fill($('ticket-rows'),
      ...state.tickets.map((t) =>
        h(
          'tr',
          { class: `ticket-row${t.number === selected ? ' selected' : ''}`, 'data-number': t.number, onClick: () => (select(t.number), renderList(), renderDetail()) },
          h('td', {}, h('strong', {}, t.number)),
          h('td', {}, t.requester.name || t.requester.login, h('div', { class: 'muted' }, t.requester.login)),
          h('td', {}, badge(t.status)),
          h('td', { class: 'col-opened' }, time(t.openedAt))
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
    const final = FINAL.includes(t.status.code)
    $('reply-send').disabled = final
    $('resolve').disabled = final || t.status.code === state.statuses.resolved
    $('close').disabled = final
    $('cancel').disabled = final
    fill($('detail-head'),
      h('div', { class: 'ticket-title' }, h('h2', {}, `Ticket ${t.number}`), badge(t.status)),
      h(
        'dl',
        { class: 'fields' },
        field('Requester', `${t.requester.name || '—'} (${t.requester.login})`),
        field('Unit / group', [t.requester.unit, t.requester.group].filter(Boolean).join(' / ') || '—'),
        field('Activity', `${t.service.code} — ${t.service.name}`),
        field('Type', t.type === 'I' ? 'Incident' : 'Request'),
        field('Origin', t.origin),
        field('Contract', t.contractID),
        field('Opened at', time(t.openedAt)),
        field('Deadline', time(t.deadline)),
        field('Origin number', t.numberOrigin),
        field('Opened by', `${t.createdBy} (platform ${t.platform})`)
      )
    )
    fill($('detail-body'),
      h('h3', {}, 'Description'),
      h('div', { class: 'description' }, linkified(htmlText(t.description))),
      h('h3', {}, `Follow-ups (${t.occurrences.length})`),
      t.occurrences.length ? t.occurrences.map((o) => followUp(o)) : h('div', { class: 'muted small' }, 'None yet.'),
      (t.systemOccurrences ?? []).length
        ? h('details', { class: 'system-followups' },
            h('summary', {}, `4biz's own follow-ups (${t.systemOccurrences.length}): ticket opened, status, SLA — never relayed to Messenger`),
            t.systemOccurrences.map((o) => followUp(o, true)))
        : null,
      t.attachments.length ? [h('h3', {}, 'Attachments'), h('ul', { class: 'small-list' }, t.attachments.map((a) => h('li', {}, `${a.name} (${a.extension}, ${a.size} bytes) — ${a.addedBy}, ${time(a.addedAt)}`)))] : null,
      h('h3', {}, 'Status history'),
      h('ul', { class: 'small-list' }, t.statusHistory.map((s) => h('li', {}, `${time(s.at)} — ${s.code} by ${s.by}${s.details ? ` (${s.details})` : ''}`))),
      t.pushes.length
        ? [
            h('h3', {}, 'Pushes to the integration'),
            h(
              'ul',
              { class: 'small-list' },
              t.pushes.map((p) => {
                const outcome = pushOutcome(p)
                return h('li', { class: outcome.ok ? 'ok' : 'error-text' }, `${time(p.at)} — ${p.cause}: ${outcome.text}`)
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
      { class: `${system ? 'system-followup' : 'followup'}${fromIntegration ? ' from-integration' : ''}`, 'data-number': o.number },
      h('div', { class: 'followup-meta' }, `#${o.number} · ${o.userID}${fromIntegration ? ' (the integration, for the Messenger user)' : ''} · ${o.category.name} · ${o.date} ${o.hour}`),
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
    if (!(push.status >= 200 && push.status < 300)) return { ok: false, text: `push failed: ${push.status || 'no answer'} ${(answer && answer.error) || push.body.slice(0, 120)}` }
    if (!answer || answer.linked === false) return { ok: false, text: `pushed (${push.status}) but it reached no one: ${(answer && answer.reason) || 'not linked'}` }
    if (answer.undelivered && answer.undelivered.length) return { ok: false, text: `pushed (${push.status}); not delivered to the user: ${answer.undelivered.join('; ')}` }
    const parts = [answer.relayed ? `${answer.relayed} repl${answer.relayed === 1 ? 'y' : 'ies'} delivered` : null, answer.statusChanges ? 'status change announced' : null].filter(Boolean)
    return { ok: true, text: `pushed (${push.status}): ${parts.join(', ') || 'nothing new for the user'}` }
  }

  function showResult(prefix, res) {
    const push = res.push
    const outcome = push ? pushOutcome(push) : { ok: true, text: state.push ? '' : 'the user gets it at the next scheduled sync' }
    $('action-result').className = `action-result ${outcome.ok ? 'ok' : 'error-text'}`
    $('action-result').textContent = outcome.text ? `${prefix} · ${outcome.text}` : prefix
  }

  async function act(work) {
    $('action-result').className = 'action-result muted'
    $('action-result').textContent = 'Working…'
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
      showResult(`Follow-up ${res.followUpNumber} added`, res)
    })
  )
  for (const id of ['resolve', 'close', 'cancel'])
    $(id).addEventListener('click', () =>
      act(async () => {
        const res = await post('/api/4biz/status', { ticketNumber: selected, status: $(id).dataset.status, author: $('analyst').value })
        showResult(`Status set to ${res.status}`, res)
      })
    )
  $('push').addEventListener('change', () => act(() => post('/api/4biz/push', { push: $('push').checked })))
  $('run-setup-check').addEventListener('click', () => act(() => post('/api/4biz/setup-check', {})))

  poll(refresh, 1000)
})()
