# Where deploy/install.sh installs BackupWorkflows (sourced by the deploy scripts; override through the environment).
install_dir=${BWF_INSTALL_DIR:-/opt/backupworkflows}   # the published server, bwf, studio and workflows
bin_dir=${BWF_BIN_DIR:-/usr/local/bin}                 # where the `bwf` command goes
