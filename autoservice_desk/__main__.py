from autoservice_desk.cli import main

raise SystemExit(main())
