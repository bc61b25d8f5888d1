/* kflow: hover, click and role filter for the sociogram. Reads the node and tie order from the
   JSON block beside the figure; without JavaScript the static picture stays as it is. */
(function () {
  var box = document.getElementById("sociogram-figure");
  var source = document.getElementById("sociogram-data");
  if (!box || !source) { return; }
  var data = JSON.parse(source.textContent);
  var nodes = box.querySelectorAll("#kflow-firms use");
  if (!nodes.length) { nodes = box.querySelectorAll("#kflow-firms path"); }
  var ties = box.querySelectorAll("#kflow-ties path");
  if (nodes.length !== data.firms.length || ties.length !== data.ties.length) { return; }
  var shown = {};
  data.roles.forEach(function (r) { shown[r] = true; });
  var selected = null;
  var svgNS = "http://www.w3.org/2000/svg";
  function linked(i, j) {
    return data.ties.some(function (t) {
      return (t[0] === i && t[1] === j) || (t[0] === j && t[1] === i);
    });
  }
  function draw() {
    nodes.forEach(function (node, i) {
      var firm = data.firms[i];
      var visible = shown[firm.role];
      var faded = selected !== null && i !== selected && !linked(i, selected);
      node.style.display = visible ? "" : "none";
      node.style.opacity = faded ? "0.15" : "1";
    });
    ties.forEach(function (tie, k) {
      var a = data.ties[k][0], b = data.ties[k][1];
      var visible = shown[data.firms[a].role] && shown[data.firms[b].role];
      var faded = selected !== null && a !== selected && b !== selected;
      tie.style.display = visible ? "" : "none";
      tie.style.opacity = faded ? "0.08" : "";
    });
  }
  nodes.forEach(function (node, i) {
    var firm = data.firms[i];
    var title = document.createElementNS(svgNS, "title");
    title.textContent = firm.label + " \u2014 " + firm.roleLabel + "; gives knowledge to " +
      firm.out + ", receives from " + firm["in"] + (firm.respondent ? "" : "; did not answer");
    node.appendChild(title);
    node.style.cursor = "pointer";
    node.addEventListener("click", function () {
      selected = selected === i ? null : i;
      draw();
    });
  });
  var tools = document.getElementById("sociogram-tools");
  if (tools) {
    tools.hidden = false;
    tools.querySelectorAll("input[data-role]").forEach(function (input) {
      input.addEventListener("change", function () {
        shown[input.getAttribute("data-role")] = input.checked;
        draw();
      });
    });
  }
})();
