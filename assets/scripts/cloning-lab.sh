# Cloning lab (guestlab run --scenario bookworm assets/scripts/cloning-lab.sh):
# what collides when a VM is cloned, and the commands that fix it.
virsh net-start default
virt-clone --original bookworm --name web1 --auto-clone
virt-clone --original bookworm --name web2 --auto-clone
virsh start web1
virsh start web2
# One lease for two machines: the DHCP client ID comes from the machine ID.
virsh net-dhcp-leases default
virsh console web1
cat /etc/machine-id
ip -br a
exit
virsh console web2
cat /etc/machine-id
ip -br a
ls /var/log/journal
# Fix web2 the D-Bus way, and give it its own SSH host keys.
rm -f /etc/machine-id
dbus-uuidgen --ensure=/etc/machine-id
echo $?
rm /etc/ssh/ssh_host_*
ssh-keygen -A
reboot
exit
virsh console web1
# Fix web1 the systemd way.
truncate -s 0 /etc/machine-id
systemd-machine-id-setup
reboot
exit
virsh net-dhcp-leases default
# The better way: prepare the template once; its clones never collide.
virsh destroy web1
virsh destroy web2
virt-sysprep -d bookworm --operations machine-id,ssh-hostkeys,bash-history,logfiles
virt-clone --original bookworm --name web3 --auto-clone
virt-clone --original bookworm --name web4 --auto-clone
virsh start web3
virsh start web4
virsh net-dhcp-leases default
