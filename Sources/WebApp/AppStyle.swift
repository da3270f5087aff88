/// `/static/app.css`: the pages' own look, served from here so that no request path ever reaches
/// the file system. The grids bring their rules with them (Reports' `HTMLGrids.styleSheet`).
let appStyleSheet = """
    html { font: 15px/1.4 system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; background: #fafafa; }
    body { margin: 0; }
    main { max-width: 72em; margin: 0 auto; padding: 1em 1.5em 3em; }
    header.bar { display: flex; gap: 1.5em; align-items: center; padding: .5em 1.5em; background: #1f3a5f; color: #fff; }
    header.bar a { color: #fff; }
    header.bar .brand { font-weight: bold; text-decoration: none; }
    header.bar .signout { margin-left: auto; }
    a { color: #0645ad; }
    h1 { font-size: 1.6em; margin: .4em 0; }
    h2 { font-size: 1.2em; margin: 1.4em 0 .4em; }
    .crumbs { margin: 0; color: #444; }
    .problem { background: #fdecea; border: 2px solid #b3261e; padding: .5em 1em; }
    table.list, table.progress { border-collapse: collapse; margin: .5em 0; }
    table.list th, table.list td, table.progress th, table.progress td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
    table.list thead th { background: #e7e7e7; }
    table.list ul { margin: 0; padding-left: 1.2em; }
    table.progress { min-width: 20em; }
    /* A private link is one long word: it wraps inside its cell instead of widening the page. */
    table.links td { overflow-wrap: anywhere; }
    table.progress td { font-variant-numeric: tabular-nums; }
    ul.names { columns: 14em; }
    pre.report { background: #fff; border: 1px solid #ccc; padding: .5em; overflow-x: auto; }
    .state-done { color: #146c2e; }
    .state-failed, .state-interrupted { color: #b3261e; }
    .live-mark { background: #146c2e; color: #fff; padding: 0 .4em; border-radius: .2em; font-size: .8em; }
    tr.live td { background: #eef7f0; }
    .grid { overflow-x: auto; background: #fff; }
    button { font: inherit; padding: .2em .8em; }
    textarea { width: 100%; max-width: 60em; font-family: monospace; }
    /* A person's week on a phone: the grid's columns would be a few words wide, so below 40em the
       week is a row of full-width days, one per screen, swiped (or picked from the day links). */
    .daylist { display: none; }
    .daylist ol.sessions { list-style: none; margin: 0; padding: 0; }
    .daylist li.s { margin: 0 0 .5em; padding: .4em .6em; }
    .daylist .when { font-variant-numeric: tabular-nums; color: #333; }
    .daylist h3 { margin: .2em 0 .5em; }
    .day-links a { display: inline-block; padding: .3em .6em; margin: 0 .2em .4em 0; border: 1px solid #bbb; border-radius: .3em; text-decoration: none; }
    @media (max-width: 40em) {
      html { font-size: 17px; }
      main { padding: .75em .75em 2em; }
      header.bar { padding: .5em .75em; gap: .75em; flex-wrap: wrap; }
      .grid.wide { display: none; }
      .daylist { display: block; }
      .daylist .days { display: flex; overflow-x: auto; scroll-snap-type: x mandatory; gap: 1em; }
      .daylist section.day { flex: 0 0 100%; scroll-snap-align: start; }
      table.list, table.links { display: block; overflow-x: auto; }
    }

    """
